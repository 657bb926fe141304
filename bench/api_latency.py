"""API latency with 100k persons and 1M selectors, on SQLite and PostgreSQL.

    .venv/bin/python bench/api_latency.py [--db sqlite|postgres|both] [--small] [--requests 30] [--explain]

Seeds a generated multi-agency world (bench/seed_volume.py) into a throw-away database — a SQLite file
under var/bench/ or a PostgreSQL database named palermo_bench, created and dropped here — then times
requests through django.test.Client with a Bearer token, for two viewers who see the data differently:
a police investigator of the biggest agency (own records, two task forces' shares, a compartment) and a
labour inspector of a small agency outside every task force (own records and direct shares only).

Reported per endpoint: median and p95 over N requests after 2 warm-up requests (N is --requests, fewer
when an endpoint has used up its 10 s budget, never fewer than 5), the number of SQL queries and the
slowest one. --explain prints that query's plan (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN
on SQLite). Each database runs in its own process because the settings are read once per process.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
PG_SERVER = os.environ.get("PALERMO_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = os.environ.get("PALERMO_BENCH_PG_DATABASE", "palermo_bench")
# A key for generated data only; real deployments take theirs from the environment.
BENCH_FIELD_KEY = "YmVuY2gta2V5LWZvci1wYWxlcm1vLWdlbmVyYXRlZCE="
FULL = {"persons": 100_000, "selectors": 1_000_000, "cases": 10_000}
SMALL = {"persons": 5_000, "selectors": 50_000, "cases": 500}
WARM_UP = 2
# A slow endpoint stops after MIN_REQUESTS once it has used its budget, so one run stays within minutes.
BUDGET_SECONDS = 10
MIN_REQUESTS = 5


def configure(db: str) -> str:
    """Environment for one database, set before Django is imported."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "palermo.settings"
    os.environ["PALERMO_FIELD_KEY"] = BENCH_FIELD_KEY
    os.environ["PALERMO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-deployment")
    if db == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        path = BENCH_DIR / "api_latency.sqlite3"
        for leftover in BENCH_DIR.glob("api_latency.sqlite3*"):
            leftover.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}"
    return os.environ["DATABASE_URL"]


def drop(db: str) -> None:
    if db == "sqlite":
        for leftover in BENCH_DIR.glob("api_latency.sqlite3*"):
            leftover.unlink()
        return
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: with 30 requests, p95 is the 29th slowest."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def explain(sql: str) -> str:
    from django.db import connection

    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        rows = cursor.fetchall()
    return "\n".join(" | ".join(str(c) for c in row) for row in rows)


def measure(client, token: str, path: str, params: dict, requests: int, want_plan: bool) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    headers = {"Authorization": f"Bearer {token}"}
    reset_queries()  # each request resets the log when it starts; the capture must start from zero too
    with CaptureQueriesContext(connection) as captured:
        first = client.get(path, params, headers=headers)
    queries = list(captured.captured_queries)  # a view on the log, which the next request resets
    url = first.request["PATH_INFO"] + "?" + first.request["QUERY_STRING"]
    if first.status_code != 200:
        raise SystemExit(f"{url}: HTTP {first.status_code} {first.content[:300]!r}")
    body = first.json()
    for _ in range(WARM_UP - 1):
        client.get(path, params, headers=headers)
    timings = []
    deadline = time.perf_counter() + BUDGET_SECONDS
    while len(timings) < requests and (len(timings) < MIN_REQUESTS or time.perf_counter() < deadline):
        started = time.perf_counter()
        client.get(path, params, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
    slowest = max(queries, key=lambda q: float(q["time"]))
    result = {
        "url": url, "n": len(timings), "median_ms": round(statistics.median(timings), 1), "p95_ms": round(percentile(timings, 0.95), 1),
        "queries": len(queries), "slowest_query_ms": round(float(slowest["time"]) * 1000, 1),
        "slowest_query": slowest["sql"],
        "count": body.get("count"), "items": len(body.get("items", body.get("hits", []))),
    }
    if want_plan:
        result["plan"] = explain(slowest["sql"])
    return result


def run_one(db: str, sizes: dict, requests: int, want_plan: bool, keep: bool) -> dict:
    url = configure(db)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from bench import seed_volume

    setup_test_environment()  # DEBUG off, "testserver" host allowed, no query log kept between requests
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - started
    world = seed_volume.seed(**sizes, progress=lambda msg: print(f"  [{db}] {msg}", flush=True))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rows = seed_volume.row_counts()
    print(f"  [{db}] seeded in {world.seconds:.0f} s: {rows}", flush=True)

    client = Client()
    results: dict[str, list[dict]] = {}
    for viewer in world.viewers:
        results[viewer.label] = measure_viewer(client, viewer, world, requests, want_plan, db)
    if connection.vendor == "postgresql":
        # The visibility filter's estimated cost passes jit_above_cost, and compiling the plan costs more
        # than running it: measure again with JIT off for every new connection (CONN_MAX_AGE is 0).
        from django.db.backends.signals import connection_created

        def jit_off(sender, connection, **kwargs):
            with connection.cursor() as cursor:
                cursor.execute("SET jit = off")

        connection_created.connect(jit_off)
        viewer = world.viewers[0]
        results[f"{viewer.label}, JIT off"] = measure_viewer(client, viewer, world, requests, want_plan, db)
        connection_created.disconnect(jit_off)

    from django.db import connections

    connections.close_all()
    if not keep:
        drop(db)
    return {
        "database": db, "database_url": url.split("@")[-1], "vendor_version": world.vendor_version,
        "sizes": sizes, "rows": rows, "seed_seconds": round(world.seconds, 1), "migrate_seconds": round(migrate_s, 1),
        "requests": requests, "results": results,
    }


def measure_viewer(client, viewer, world, requests: int, want_plan: bool, db: str) -> list[dict]:
    visible = client.get("/api/persons?limit=1", headers={"Authorization": f"Bearer {viewer.token}"}).json()["count"]
    offsets = sorted({o for o in (0, 1_000, visible // 2, max(visible - 50, 0)) if o < max(visible, 1)})
    targets = [("/api/persons", {"limit": 50, "offset": o}) for o in offsets]
    # The same first and last pages through a cursor (keyset pagination): the last page's cursor is the
    # key of the row before it, as a client gets it in `next_cursor` after walking the list.
    targets += [("/api/persons", {"limit": 50}), ("/api/persons", {"limit": 50, "cursor": last_page_cursor(viewer, visible)})]
    targets += [("/api/cases", {"limit": 50})]
    targets += [("/api/selectors/search", {"kind": kind, "value": value}) for kind, value in (world.hits[0], world.misses[0])]
    entries = []
    for path, params in targets:
        entries.append(measure(client, viewer.token, path, params, requests, want_plan))
        print(f"  [{db}] {viewer.label}: {entries[-1]['url']} median {entries[-1]['median_ms']} ms, "
              f"p95 {entries[-1]['p95_ms']} ms", flush=True)
    return entries + search_series(client, viewer, world, requests, db)


def last_page_cursor(viewer, visible: int) -> str:
    from palermo.core import keyset
    from palermo.core import selectors as S

    before_last = S.person_list(viewer.user).values_list("pseudonym", flat=True)[max(visible - 51, 0)]
    return keyset.encode([before_last])


def search_series(client, viewer, world, requests: int, db: str) -> list[dict]:
    """Selector search over many different values (hits held by several agencies, and misses), so
    caching of one value does not flatter the numbers."""
    out = []
    for label, values in (("hit", world.hits), ("miss", world.misses)):
        headers = {"Authorization": f"Bearer {viewer.token}"}
        timings, found = [], 0
        deadline = time.perf_counter() + BUDGET_SECONDS
        for kind, value in values[:requests]:
            if len(timings) >= MIN_REQUESTS and time.perf_counter() > deadline:
                break
            started = time.perf_counter()
            response = client.get("/api/selectors/search", {"kind": kind, "value": value}, headers=headers)
            timings.append((time.perf_counter() - started) * 1000)
            found += len(response.json()["hits"])
        out.append({"url": f"/api/selectors/search ({len(timings)} different {label} values)",
                    "n": len(timings), "median_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(percentile(timings, 0.95), 1), "items": found})
        print(f"  [{db}] {viewer.label}: {label} searches: median {out[-1]['median_ms']} ms, p95 {out[-1]['p95_ms']} ms, "
              f"{found} visible holders in all", flush=True)
    return out


def machine() -> dict:
    def sh(cmd: str) -> str:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()

    return {"nproc": sh("nproc"), "free_h": sh("free -h"), "python": platform.python_version(),
            "loadavg": sh("cat /proc/loadavg")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--small", action="store_true", help=f"quick check: {SMALL}")
    parser.add_argument("--persons", type=int)
    parser.add_argument("--selectors", type=int)
    parser.add_argument("--cases", type=int)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per endpoint")
    parser.add_argument("--explain", action="store_true", help="print the plan of each endpoint's slowest query")
    parser.add_argument("--keep", action="store_true", help="keep the seeded database afterwards")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    sizes = dict(SMALL if args.small else FULL)
    sizes.update({k: getattr(args, k) for k in sizes if getattr(args, k)})

    if args.db == "both":
        runs = []
        for db in ("sqlite", "postgres"):
            out = BENCH_DIR / f"api_latency-{db}.json"
            BENCH_DIR.mkdir(parents=True, exist_ok=True)
            cmd = [sys.executable, __file__, "--db", db, "--requests", str(args.requests), "--out", str(out),
                   *[f"--{k}={v}" for k, v in sizes.items()]]
            cmd += ["--explain"] * args.explain + ["--keep"] * args.keep
            subprocess.run(cmd, check=True)
            runs.append(json.loads(out.read_text()))
    else:
        started = time.perf_counter()
        runs = [run_one(args.db, sizes, args.requests, args.explain, args.keep)]
        runs[0]["total_seconds"] = round(time.perf_counter() - started, 1)
        runs[0]["machine"] = machine()
        if args.out:
            args.out.write_text(json.dumps(runs[0], indent=1))
            return
    print_report(runs)


def print_report(runs: list[dict]) -> None:
    for run in runs:
        print(f"\n## {run['database']} ({run['vendor_version']}) — {run['rows']}; seeded in {run['seed_seconds']} s, "
              f"whole run {run['total_seconds']} s\n")
        print("| viewer | request | n | median ms | p95 ms | queries | slowest query ms | rows |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for viewer, entries in run["results"].items():
            for e in entries:
                print(f"| {viewer} | `{e['url']}` | {e['n']} | {e['median_ms']} | {e['p95_ms']} | {e.get('queries', '')} | "
                      f"{e.get('slowest_query_ms', '')} | {e.get('count') if e.get('count') is not None else e['items']} |")
        for viewer, entries in run["results"].items():
            for e in entries:
                if e.get("plan"):
                    print(f"\n### {viewer} `{e['url']}` slowest query ({e['slowest_query_ms']} ms)\n")
                    print(f"```sql\n{e['slowest_query']}\n```\n```\n{e['plan']}\n```")


if __name__ == "__main__":
    main()
