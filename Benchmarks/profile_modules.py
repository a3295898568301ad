"""Groups a flat `perf report --stdio --sort symbol -g none` listing by module (the Swift module of a
demangled symbol, or the C library or kernel it belongs to) and prints each module's share, then the
hottest symbols. Used by Benchmarks/cpu.sh."""
import re
import shutil
import subprocess

C_LIBRARIES = (
    (re.compile(r"^swift_|^_swift_|^\$ss|swift::"), "Swift runtime (ARC, allocation, metadata, casts)"),
    (re.compile(r"^(malloc|free|cfree|calloc|realloc|_int_|__libc_malloc|__libc_free|tcache|malloc_consolidate|__memcpy|__memmove|__memset|memcpy|memmove|memset|memcmp|__memcmp|__strlen|strlen)"), "libc: malloc, memcpy"),
    (re.compile(r"^(pthread_|__pthread|__lll_|futex|__futex|sem_|syscall|__GI_)"), "libc: locks, threads, syscall stubs"),
    (re.compile(r"^sqlite3"), "SQLite"),
    (re.compile(r"^secp256k1"), "libsecp256k1"),
    (re.compile(r"^(CCryptoBoringSSL|sha256_block|SHA256)"), "BoringSSL (swift-crypto)"),
)
GENERICS = re.compile(r"<[^<>]*>")
MODULE = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\.[A-Za-z_(]")
SKIP = {"closure", "implicit", "partial", "generic", "specialized", "merged", "outlined", "protocol", "reabstraction",
        "thunk", "function", "signature", "specialization", "of", "in", "for", "with", "static", "async", "resume"}


def demangle(names, *options):
    """Swift names demangled (`swift demangle --compact` plus `options`); others as they are."""
    if not shutil.which("swift") or not names:
        return names
    out = subprocess.run(["swift", "demangle", "--compact", *options], input="\n".join(names),
                         capture_output=True, text=True).stdout.splitlines()
    return out if len(out) == len(names) else names


def module_of(kind, raw, name):
    if kind == "k":
        return "kernel: syscalls, TCP, scheduling"
    for pattern, module in C_LIBRARIES:
        if pattern.search(raw):
            return module
    stripped = name
    while GENERICS.search(stripped):
        stripped = GENERICS.sub("", stripped)
    for match in MODULE.finditer(stripped):
        if match.group(1) not in SKIP:
            return match.group(1)
    return "other: " + raw[:40]


def report(text, top):
    rows = re.findall(r"^\s*([\d.]+)%\s+\[([.k])\]\s+(.+?)(?:\s+-\s+-)?\s*$", text, re.M)
    if not rows:
        print("  (no samples: is perf allowed here? see /proc/sys/kernel/perf_event_paranoid)")
        return
    raws = [raw for _, _, raw in rows]
    qualified, names = demangle(raws), demangle(raws, "--simplified")  # module names, then short ones to show
    modules = {}
    for (share, kind, raw), name in zip(rows, qualified):
        module = module_of(kind, raw, name)
        modules[module] = modules.get(module, 0.0) + float(share)
    print("  by module:")
    for module, share in sorted(modules.items(), key=lambda item: -item[1])[:top]:
        print(f"  {share:6.1f}%  {module}")
    print("  hottest symbols:")
    for (share, kind, _), name in list(zip(rows, names))[:top]:
        print(f"  {float(share):6.1f}%  {re.sub(chr(32) + '+', ' ', name)[:140]}")
