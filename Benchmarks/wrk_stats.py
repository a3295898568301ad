"""Reads a `wrk --latency` report: requests/s, p50 and p99 (ms), non-2xx answers, socket errors, total requests."""
import re


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", text).group(1))
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", text).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors:.*", text)
    total = int(re.search(r"(\d+) requests in", text).group(1))
    return rps, p50, p99, int(non2xx.group(1)) if non2xx else 0, errors.group(0) if errors else "", total


def paid_calls(path):
    """Paid calls per second of a `paid_cycles.lua` run: (paid calls / wrk's duration, failed cycles)."""
    text = open(path).read()
    paid, failed = map(int, re.search(r"Paid calls: (\d+), failed cycles: (\d+)", text).groups())
    seconds = float(re.search(r"requests in ([\d.]+)s", text).group(1))
    return paid / seconds, failed


def table(work, rows, title, allow_non2xx=()):
    """Prints `title` and one line per (name, label) of `rows`: requests/s, p50 and p99 of `work/<name>.txt`,
    noting non-2xx answers (unless the name is in `allow_non2xx`) and socket errors. Returns the parsed results."""
    results = {name: parse(f"{work}/{name}.txt") for name, _ in rows}
    width = max(len(label) for _, label in rows)
    print(f"\n{title}")
    print(f"{'':{width}} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8}")
    for name, label in rows:
        rps, p50, p99, non2xx, errors, _ = results[name]
        note = f"  ({non2xx} non-2xx)" if non2xx and name not in allow_non2xx else ""
        note += f"  [{errors}]" if errors else ""
        print(f"{label:{width}} {rps:10.0f} {p50:8.2f} {p99:8.2f}{note}")
    return results
