#!/usr/bin/env python3
"""The usage report's query before and after the rollup (issue 16), on a big ledger.

Fills the ledger of a gateway database already migrated to schema 8 (on SQLite every row goes through the
rollup's trigger, as in production; on PostgreSQL see `fill_postgres`) with ROWS rows over 30 UTC days and 10 tools, in bulk SQL, then
times the queries the stores issue for `GET /_l402/admin/usage` and the dashboard: the ledger
GROUP BY of schema 7 ("before") and the rollup read of schema 8 ("after"), and checks that both give
the same figures. Last, the trigger's cost per call: single-row insert transactions with it, then without.

  sqlite:   Benchmarks/usage_rollup.py sqlite PATH/gateway.sqlite [ROWS]
  postgres: Benchmarks/usage_rollup.py postgres SCHEMA [ROWS]   (psql, connection from $DATABASE_URL)

The database's rows are replaced: use a scratch copy.
"""
import os
import sqlite3
import statistics
import subprocess
import sys
import time

DAY0 = 1_793_059_200  # 2026-10-27T00:00:00Z: 30 days ending 2026-11-25

BEFORE = {
    "sqlite": """
        SELECT date(time, 'unixepoch') AS day, tool, COUNT(*), SUM(outcome = 'paid'), SUM(outcome = 'free'), SUM(sats),
            SUM(outcome = 'paid' AND scheme IS 'l402'), SUM(sats * (scheme IS 'l402')),
            SUM(outcome = 'paid' AND scheme IS 'payment'), SUM(sats * (scheme IS 'payment'))
        FROM invocations GROUP BY day, tool ORDER BY day, tool""",
    "postgres": """
        SELECT to_char(to_timestamp(time) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, tool, count(*),
            count(*) FILTER (WHERE outcome = 'paid'), count(*) FILTER (WHERE outcome = 'free'), sum(sats)::bigint,
            count(*) FILTER (WHERE outcome = 'paid' AND scheme = 'l402'), coalesce(sum(sats) FILTER (WHERE scheme = 'l402'), 0)::bigint,
            count(*) FILTER (WHERE outcome = 'paid' AND scheme = 'payment'), coalesce(sum(sats) FILTER (WHERE scheme = 'payment'), 0)::bigint
        FROM invocations GROUP BY day, tool ORDER BY day, tool COLLATE "C\"""",
}
CAST = {"sqlite": "", "postgres": "::bigint"}
AFTER = """
    SELECT day, tool, {s}
    FROM usage_daily GROUP BY day, tool ORDER BY day, tool{collate}"""
SUMS = ["calls", "paid_calls", "free_calls", "sats", "l402_calls", "l402_sats", "payment_calls", "payment_sats"]


def rows_sql(backend, first, count):
    """INSERT of `count` ledger rows numbered from `first`, spread evenly over 30 days."""
    series = (f"WITH RECURSIVE n(i) AS (SELECT {first} UNION ALL SELECT i + 1 FROM n WHERE i < {first + count - 1})"
              if backend == "sqlite" else "")
    source = "n" if backend == "sqlite" else f"generate_series({first}, {first + count - 1}) AS n(i)"
    key = "printf('%d', i)" if backend == "sqlite" else "md5(i::text)::uuid"
    key_column = "call_key" if backend == "sqlite" else "request_key"
    per_second = ROWS / (30 * 86_400)
    return f"""{series}
        INSERT INTO invocations (time, tool, token_id, sats, upstream_status, latency_ms, outcome, {key_column}, mcp_tool, scheme)
        SELECT {DAY0} + i / {per_second}, 'tool' || (i % 10), 'ab', CASE WHEN i % 10 < 7 THEN i % 20 + 1 ELSE 0 END, 200, 1.5,
            CASE WHEN i % 10 < 7 THEN 'paid' WHEN i % 10 < 9 THEN 'free' ELSE 'upstream_error' END, {key},
            CASE WHEN i % 10 >= 7 THEN NULL WHEN i % 3 = 0 THEN 'forecast' ELSE NULL END,
            CASE WHEN i % 10 >= 7 THEN NULL WHEN i % 2 = 0 THEN 'l402' ELSE 'payment' END
        FROM {source}"""


class SQLite:
    def __init__(self, path):
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA synchronous = NORMAL")

    def run(self, sql):
        return self.db.execute(sql).fetchall()

    def write(self, sql):
        self.db.execute("BEGIN")
        self.db.execute(sql)
        self.db.execute("COMMIT")


class Postgres:
    def __init__(self, schema):
        self.schema = schema

    def psql(self, *commands):
        return subprocess.run(
            ["psql", os.environ["DATABASE_URL"], "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
             "-c", f"SET search_path TO {self.schema}", *[arg for command in commands for arg in ("-c", command)]],
            check=True, capture_output=True, text=True).stdout.splitlines()

    def run(self, sql):
        return [tuple(line.split("|")) for line in self.psql(sql) if line]

    def timed(self, sql):
        """psql's `\\timing`: the query's round trip in one open session, without psql's start and connection."""
        lines = self.psql("\\timing on", sql)
        ms = float(next(line for line in lines if line.startswith("Time: ")).split()[1])
        return ms, [tuple(line.split("|")) for line in lines if line and not line.startswith(("Time: ", "Timing is"))]

    def write(self, sql):
        self.psql(sql)


def timed(db, sql, repeat=5):
    times, result = [], None
    for _ in range(repeat):
        if isinstance(db, Postgres):
            ms, result = db.timed(sql)
        else:
            start = time.perf_counter()
            result = db.run(sql)
            ms = (time.perf_counter() - start) * 1000
        times.append(ms)
    return statistics.median(times), result


def normalised(rows):
    return [tuple(str(value) for value in row) for row in rows]


FIGURES = {  # what each ledger row adds (as `UsageRollup.figures`), for the PostgreSQL fill below
    "calls": "1", "paid_calls": "(outcome = 'paid')::int", "free_calls": "(outcome = 'free')::int", "sats": "sats",
    "l402_calls": "(outcome = 'paid' AND scheme = 'l402')::int", "l402_sats": "CASE WHEN scheme = 'l402' THEN sats ELSE 0 END",
    "payment_calls": "(outcome = 'paid' AND scheme = 'payment')::int",
    "payment_sats": "CASE WHEN scheme = 'payment' THEN sats ELSE 0 END",
}


def fill_postgres(db):
    """PostgreSQL: the ledger is written with the trigger disabled (a trigger updating the same few rollup rows a million
    times in one bulk transaction is far slower than one call's insert, which is not what is measured here), then the
    rollup filled from it in one pass, as migration 8 does, but over all 16 shards (`id % 16`): the most rows a read sums."""
    db.write("ALTER TABLE invocations DISABLE TRIGGER invocations_usage_daily")
    start = time.perf_counter()
    for first in range(0, ROWS, 1_000_000):
        db.write(rows_sql("postgres", first, min(1_000_000, ROWS - first)))
    print(f"postgres: {ROWS} ledger rows inserted (trigger off) in {time.perf_counter() - start:.1f} s")
    db.write("ALTER TABLE invocations ENABLE TRIGGER invocations_usage_daily")
    start = time.perf_counter()
    db.write(f"""
        INSERT INTO usage_daily (day, tool, mcp, mcp_tool, shard, {", ".join(FIGURES)})
        SELECT to_char(to_timestamp(time) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), tool, (mcp_tool IS NOT NULL)::int,
            coalesce(mcp_tool, ''), id % 16, {", ".join(f"sum({value})" for value in FIGURES.values())}
        FROM invocations GROUP BY 1, 2, 3, 4, 5""")
    print(f"rollup filled from the ledger in one pass (like the migration's backfill) in {time.perf_counter() - start:.1f} s")


def per_call_cost(db, backend, count=3000):
    """The trigger's cost for a call's own transaction: `count` single-row inserts of one prepared statement (as the
    stores' cached statement), each committed alone, with and without the trigger (the second half last: the rollup
    stops following the ledger)."""
    def one_by_one(first):
        rows = [(DAY0 + 31 * 86_400 + i * 0.25, f"tool{i % 10}", i % 20 + 1, str(i), "forecast" if i % 3 == 0 else None)
                for i in range(first, first + count)]
        start = time.perf_counter()
        if backend == "sqlite":
            for row in rows:
                db.db.execute("BEGIN")
                db.db.execute("""INSERT INTO invocations (time, tool, token_id, sats, upstream_status, latency_ms, outcome,
                    call_key, mcp_tool, scheme) VALUES (?, ?, 'ab', ?, 200, 1.5, 'paid', ?, ?, 'l402')""", row)
                db.db.execute("COMMIT")
        else:
            db.psql("""PREPARE one (double precision, text, bigint, text, text) AS INSERT INTO invocations (time, tool,
                token_id, sats, upstream_status, latency_ms, outcome, request_key, mcp_tool, scheme)
                VALUES ($1, $2, 'ab', $3, 200, 1.5, 'paid', md5($4)::uuid, $5, 'l402')""",
                    *[f"EXECUTE one ({t}, '{tool}', {sats}, '{key}', {'NULL' if mcp is None else repr(mcp)})"
                      for t, tool, sats, key, mcp in rows])
        return time.perf_counter() - start
    with_trigger = one_by_one(ROWS + 10_000_000)
    db.write("DROP TRIGGER invocations_usage_daily" + ("" if backend == "sqlite" else " ON invocations"))
    without = one_by_one(ROWS + 20_000_000)
    print(f"{count} single-row insert transactions: {with_trigger:.2f} s with the trigger, {without:.2f} s without"
          f" ({(with_trigger - without) / count * 1e6:.0f} µs per row)")


def main():
    global ROWS
    backend, target = sys.argv[1], sys.argv[2]
    ROWS = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000_000
    db = SQLite(target) if backend == "sqlite" else Postgres(target)
    db.write("DELETE FROM invocations")
    db.write("DELETE FROM usage_daily")
    if backend == "postgres":
        fill_postgres(db)
        db.write("VACUUM ANALYZE invocations")
        db.write("VACUUM ANALYZE usage_daily")
    else:
        start = time.perf_counter()
        for first in range(0, ROWS, 1_000_000):
            db.write(rows_sql(backend, first, min(1_000_000, ROWS - first)))
        print(f"sqlite: {ROWS} ledger rows inserted (trigger on) in {time.perf_counter() - start:.1f} s")
    before_ms, before = timed(db, BEFORE[backend], repeat=3)
    after_sql = AFTER.format(s=", ".join(f"sum({c}){CAST[backend]}" for c in SUMS),
                             collate=' COLLATE "C"' if backend == "postgres" else "")
    after_ms, after = timed(db, after_sql)
    rollup_rows = db.run("SELECT count(*) FROM usage_daily")[0][0]
    same = normalised(before) == normalised(after)
    print(f"usage query, ledger GROUP BY (before): {before_ms:.0f} ms; rollup ({rollup_rows} rows, after): {after_ms:.1f} ms;"
          f" {len(after)} day×tool rows, identical figures: {same}")
    per_call_cost(db, backend)
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
