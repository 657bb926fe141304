"""Load test driver: starts the production server (gunicorn, sync workers) on a seeded PostgreSQL database,
runs the locust workload headless for a bounded time, stops everything, and writes p50/p95 per endpoint.

    .venv/bin/python bench/load/prepare.py --database-url postgres://postgres@127.0.0.1:5432/palermo_load \
        --out var/bench/load-world.json                       # once: seeds 100k persons, 1M selectors
    .venv/bin/python bench/load/run_load.py --database-url postgres://postgres@127.0.0.1:5432/palermo_load \
        --users 100 --run-time 60 [--workers 4] [--port 8108] [--label after] [--runs 3]

The server, PostgreSQL and the load generator share the machine. All users have
been spawned in a few seconds; the figures include that ramp-up. Beside wall times, the server's CPU
seconds per request (gunicorn master and workers, from psutil) are reported: other jobs on a shared
machine stretch wall times far more than they change the work done per request. Results go to var/bench/load/:
per run the locust CSV files and a JSON summary; the markdown table is printed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from prepare import BENCH_AUDIT_KEY, BENCH_FIELD_KEY, sign_in  # noqa: E402

HOST = "127.0.0.1"
OUT = ROOT / "var" / "bench" / "load"


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"nothing listened on {HOST}:{port} within {seconds} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def sign_in_all(world: Path, host: str) -> dict:
    """Every caseworker account signed in once, before the clock starts (see the locustfile)."""
    accounts = json.loads(world.read_text())["accounts"]
    return {a["username"]: sign_in(host, a) for a in accounts if "hotline_operator" not in a["roles"]}


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the server and its workers so far: per request, the figure that other jobs on
    the machine disturb least (they stretch wall times, not the work done)."""
    import psutil

    processes = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    return sum(p.cpu_times().user + p.cpu_times().system for p in processes)


def server_environment(database_url: str) -> dict:
    env = os.environ.copy()
    env.update(DJANGO_SETTINGS_MODULE="palermo.settings", PALERMO_FIELD_KEY=BENCH_FIELD_KEY, PALERMO_DEBUG="0",
               PALERMO_AUDIT_KEY=BENCH_AUDIT_KEY,
               DATABASE_URL=database_url, PALERMO_ALLOWED_HOSTS=HOST,
               DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-deployment"))
    return env


def one_run(args, number: int) -> dict:
    prefix = OUT / f"{args.label}-{args.users}u-run{number}"
    prefix.parent.mkdir(parents=True, exist_ok=True)
    server_log = open(f"{prefix}-server.log", "w")
    # Production serves the hashed static files collectstatic writes (palermo serve does the same).
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=args.source,
                   env=server_environment(args.database_url), check=True)
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "palermo.wsgi", "--workers", str(args.workers),
                               "--bind", f"{HOST}:{args.port}", "--timeout", "60", "--chdir", str(args.source)],
                              cwd=args.source, env=server_environment(args.database_url), stdout=server_log,
                              stderr=subprocess.STDOUT)
    try:
        wait_for_port(args.port, server)
        time.sleep(5)  # the workers import the application after the port opens
        sessions = Path(f"{prefix}-sessions.json")
        sessions.write_text(json.dumps(sign_in_all(args.world, f"http://{HOST}:{args.port}")))
        cpu_before = cpu_seconds(server.pid)
        load_before = os.getloadavg()
        locust_env = os.environ.copy()
        locust_env.update(LOAD_WORLD=str(args.world), LOAD_SESSIONS=str(sessions))
        subprocess.run([sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")),
                        "--headless", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
                        "--run-time", f"{args.run_time}s", "--host", f"http://{HOST}:{args.port}",
                        "--only-summary", "--csv", str(prefix), "--stop-timeout", "5",
                        "--exit-code-on-error", "0"],
                       cwd=ROOT, env=locust_env, check=True, timeout=args.run_time + 300,
                       stdout=subprocess.DEVNULL, stderr=open(f"{prefix}-locust.log", "w"))
        load_after = os.getloadavg()
        server_cpu = cpu_seconds(server.pid) - cpu_before
    finally:
        stop(server)
        server_log.close()
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))
    failures = list(csv.DictReader(open(f"{prefix}_failures.csv")))
    summary = {
        "label": args.label, "users": args.users, "workers": args.workers, "run_time_s": args.run_time,
        "conn_max_age": os.environ.get("PALERMO_DB_CONN_MAX_AGE", "(settings default)"),
        "load_average": [round(x, 2) for x in load_before] + [round(x, 2) for x in load_after],
        "server_cpu_s": round(server_cpu, 1),
        "endpoints": [{"name": r["Name"], "method": r["Type"], "requests": int(r["Request Count"]),
                       "failures": int(r["Failure Count"]), "p50_ms": float(r["50%"]), "p95_ms": float(r["95%"]),
                       "rps": round(float(r["Requests/s"]), 1)} for r in rows],
        "failures": [{"name": f["Name"], "error": f["Error"], "occurrences": int(f["Occurrences"])} for f in failures],
    }
    Path(f"{prefix}.json").write_text(json.dumps(summary, indent=1))
    return summary


def table(runs: list[dict]) -> str:
    """Per endpoint: the median over runs of each run's p50 and p95, requests/s and failures summed."""
    names = [e["name"] for e in runs[0]["endpoints"]]
    lines = ["| endpoint | requests | failures | p50 ms | p95 ms | requests/s |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name in names:
        per_run = [next(e for e in run["endpoints"] if e["name"] == name) for run in runs
                   if any(e["name"] == name for e in run["endpoints"])]
        lines.append(f"| `{name}` | {sum(e['requests'] for e in per_run)} | {sum(e['failures'] for e in per_run)} | "
                     f"{statistics.median(e['p50_ms'] for e in per_run):.0f} | "
                     f"{statistics.median(e['p95_ms'] for e in per_run):.0f} "
                     f"({min(e['p95_ms'] for e in per_run):.0f}–{max(e['p95_ms'] for e in per_run):.0f}) | "
                     f"{statistics.median(e['rps'] for e in per_run):.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--world", type=Path, default=ROOT / "var" / "bench" / "load-world.json")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--run-time", type=int, default=60, help="seconds of load after all users have spawned")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8108)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--label", default="run")
    parser.add_argument("--source", type=Path, default=ROOT,
                        help="serve the code of this directory (e.g. an exported earlier commit, for a before figure)")
    args = parser.parse_args()
    args.world = args.world.resolve()
    runs = []
    for number in range(1, args.runs + 1):
        runs.append(one_run(args, number))
        total = next(e for e in runs[-1]["endpoints"] if e["name"] == "Aggregated")
        print(f"run {number}: {total['rps']} requests/s, p50 {total['p50_ms']:.0f} ms, p95 {total['p95_ms']:.0f} ms, "
              f"server CPU {runs[-1]['server_cpu_s'] * 1000 / max(total['requests'], 1):.1f} ms per request, "
              f"{total['failures']} failures; load average {runs[-1]['load_average']}", flush=True)
    print(table(runs))
    for run in runs:
        for failure in run["failures"]:
            print(f"failure: {failure}")


if __name__ == "__main__":
    main()
