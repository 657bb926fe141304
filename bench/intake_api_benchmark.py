"""Channel API (`POST /api/intake/signals`) latency and throughput through a real HTTP server.

    .venv/bin/python bench/intake_api_benchmark.py [--with-sqlite] [--singles 200] [--batches-10 30]
                                                   [--batches-100 10] [--json results.json]

For each database, in a process of its own (settings are read once per process): create a throw-away
database (PostgreSQL `palermo_bench_intake` on PALERMO_BENCH_PG, default postgres://postgres@127.0.0.1:5432,
dropped and recreated at the start and dropped at the end; or a SQLite file under var/bench/), migrate
it, load the demo scenario (agencies, users, routing rules), issue an API token for the demo hotline
operator `ngo.hotline`, start this checkout's `manage.py runserver --noreload` (or, with --server gunicorn, 4 gunicorn sync workers) bound to 127.0.0.1 on a free port with
PALERMO_DEBUG=0, and time requests with http.client, one new connection per request (see Gateway):

  single               one tip per request: median and p95 latency;
  batch-10             10 tips per request: latency and tips per second (tips / wall time of the phase);
  batch-100            100 tips per request: the same;
  replay-1             the first single-tip requests again, same keys and content (created: false);
  replay-100           the 100-tip batches again;
  replay-1 keep-alive  replay-1 over one kept-alive connection;
  concurrent-2         two clients (one per core) posting 10-tip batches at once: tips per second.

PALERMO_DB_CONN_MAX_AGE passes through to the server (project default 0: a database connection per
request). The development server serves each HTTP connection in a new thread and Django's database
connections are per thread, so a longer age only helps the keep-alive phase.

Tips are bench/tipgen.py texts (fixed seed) in nine languages with obfuscated phones, e-mails,
handles and URLs, so extraction, triage, grouping and routing do their real work. The demo routes
Romania and two Italian regions only, so a tip keeps its own country when it is RO or IT and is sent
as a Romanian hotline's report otherwise; exploitation type, region and the triage flags are drawn from
a seeded generator. Every response is checked (status 200, created true for new keys, false for
replays) so errors are never timed as work. After the HTTP phases one single-tip request and one
10-tip batch are profiled in-process (django.test.Client, same code path minus the socket) with
cProfile and a SQL timer. Each phase stops early when its time budget is spent, so a run stays
within minutes.
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import json
import os
import platform
import pstats
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tipgen import SEED, generate_tips  # noqa: E402

BENCH_DIR = ROOT / "var" / "bench"
PG_SERVER = os.environ.get("PALERMO_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "palermo_bench_intake"
SQLITE_NAME = "intake_api.sqlite3"
URL = "/api/intake/signals"
HOST = "127.0.0.1"
WARM_UP_REQUESTS = 3
PHASE_BUDGET_SECONDS = 90
REQUEST_TIMEOUT_SECONDS = 120
SERVER_START_SECONDS = 60
CONCURRENT_CLIENTS = 2
PROFILE_REPEATS = 5
ROUTABLE = {
    "RO": [("", "SexualExploitation"), ("", "ForcedLabour"), ("Iași", "")],  # the last goes to the national queue
    "IT": [("Apulia", "ForcedLabour"), ("Lombardy", "SexualExploitation")],
}
CHANNELS = ["SMS", "Email", "MessagingApp", "ChannelAPI", "PartnerReferral"]
CALLER_TYPES = ["Victim", "FamilyOrFriend", "CommunityMember", "Professional", "Client", "Anonymous"]


# --- environment and database -------------------------------------------------------------------

def configure(db: str) -> None:
    """Environment for one database, set before Django is imported; keys are generated per run."""
    from cryptography.fernet import Fernet

    os.environ["DJANGO_SETTINGS_MODULE"] = "palermo.settings"
    os.environ["PALERMO_FIELD_KEY"] = Fernet.generate_key().decode()
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["PALERMO_AUDIT_KEY"] = secrets.token_urlsafe(32)
    os.environ["PALERMO_DEBUG"] = "0"
    os.environ["PALERMO_ALLOWED_HOSTS"] = HOST
    if db == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        drop(db)
        os.environ["DATABASE_URL"] = f"sqlite:///{BENCH_DIR / SQLITE_NAME}"
    else:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}"


def drop(db: str) -> None:
    if db == "sqlite":
        for leftover in BENCH_DIR.glob(f"{SQLITE_NAME}*"):
            leftover.unlink()
        return
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")


def prepare_database() -> str:
    """Migrates, loads the demo and returns a raw API token of the demo hotline operator."""
    import django

    django.setup()
    from django.core.management import call_command

    from palermo.accounts.models import ApiToken, User
    from palermo.demo import scenario

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    scenario.load()
    _token, raw = ApiToken.issue(User.objects.get(username="ngo.hotline"), "intake API benchmark")
    log(f"  migrated and loaded the demo in {time.perf_counter() - started:.1f} s")
    return raw


def row_counts() -> dict[str, int]:
    from palermo.audit.models import AuditEntry
    from palermo.intake.models import ChannelSubmission, Signal, SignalSelector, Situation

    return {"signals": Signal.objects.count(), "situations": Situation.objects.count(),
            "signal_selectors": SignalSelector.objects.count(),
            "channel_submissions": ChannelSubmission.objects.count(), "audit_entries": AuditEntry.objects.count()}


# --- the HTTP server -----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


SERVERS = {
    # the development server (threaded, keep-alive), as `make run` starts it
    "runserver": lambda port: [sys.executable, "manage.py", "runserver", "--noreload", f"{HOST}:{port}"],
    # the production server: 4 sync workers, each keeping its database connection
    "gunicorn": lambda port: [sys.executable, "-m", "gunicorn", "palermo.wsgi", "--workers", "4",
                              "--bind", f"{HOST}:{port}", "--chdir", str(ROOT)],
}


def start_server(port: int, log_file, kind: str = "runserver") -> subprocess.Popen:
    """The server of this checkout (not an installed copy) in its own process, on 127.0.0.1 only."""
    server = subprocess.Popen(SERVERS[kind](port), cwd=ROOT, env=os.environ.copy(), stdout=log_file,
                              stderr=subprocess.STDOUT)
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}; see {log_file.name}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"the server did not listen within {SERVER_START_SECONDS} s; see {log_file.name}")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


class Gateway:
    """Posts tip batches with a Bearer token: a new TCP connection per request by default, or one kept alive.

    Django's development server writes a response's headers and body in two small packets; on a
    kept-alive connection the second waits for the client's delayed ACK (Nagle), about 40 ms on Linux.
    A gateway opening a connection per request does not meet that stall, so it is the default here and
    the keep-alive figure is measured beside it as its own phase."""

    def __init__(self, port: int, token: str, keep_alive: bool = False):
        self.port, self.keep_alive = port, keep_alive
        self.connection = self._connect() if keep_alive else None
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT_SECONDS)

    def post(self, tips: list[dict], expect_created: bool) -> float:
        """Seconds from connecting (or sending, when kept alive) to having read the whole response;
        fails on any surprise."""
        body = json.dumps(tips, ensure_ascii=False).encode()
        started = time.perf_counter()
        connection = self.connection or self._connect()
        try:
            connection.request("POST", URL, body=body, headers=self.headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            if not self.keep_alive:
                connection.close()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {content[:500]!r}")
        results = json.loads(content)
        if len(results) != len(tips) or any(r["created"] != expect_created for r in results):
            raise RuntimeError(f"expected created={expect_created} for {len(tips)} tips, got {content[:500]!r}")
        return elapsed

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


# --- tips ----------------------------------------------------------------------------------------

def make_payloads(count: int, prefix: str, seed: int) -> list[dict]:
    """Channel API tips with generated texts; keys are unique per run and phase."""
    rng = random.Random(seed)
    payloads = []
    for number, tip in enumerate(generate_tips(count, seed), start=1):
        country = tip.country if tip.country in ROUTABLE else "RO"
        region, exploitation_type = rng.choice(ROUTABLE[country])
        payload = {"key": f"{prefix}-{number:05d}", "text": tip.text, "country": country,
                   "channel": rng.choice(CHANNELS), "caller_type": rng.choice(CALLER_TYPES)}
        if region:
            payload["region"] = region
        if exploitation_type:
            payload["exploitation_type"] = exploitation_type
        for flag, share in (("minors_involved", 0.15), ("immediate_danger", 0.1), ("ongoing_exploitation", 0.4)):
            if rng.random() < share:
                payload[flag] = True
        payloads.append(payload)
    return payloads


def chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


# --- measurement ---------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: with 200 requests, p95 is the 190th fastest."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def run_phase(name: str, gateway: Gateway, batches: list[list[dict]], expect_created: bool) -> dict:
    latencies: list[float] = []
    tips = 0
    started = time.perf_counter()
    for batch in batches:
        latencies.append(gateway.post(batch, expect_created))
        tips += len(batch)
        if time.perf_counter() - started > PHASE_BUDGET_SECONDS:
            break
    wall = time.perf_counter() - started
    result = summarise(name, latencies, tips, wall, len(batches[0]))
    log(f"  {name:<19} {result['requests']:>4} requests x {result['batch']:>3} tips: median "
        f"{result['median_ms']:8.1f} ms  p95 {result['p95_ms']:8.1f} ms  {result['tips_per_s']:7.1f} tips/s")
    return result


def summarise(name: str, latencies: list[float], tips: int, wall: float, batch: int) -> dict:
    return {"phase": name, "batch": batch, "requests": len(latencies), "tips": tips, "wall_s": round(wall, 3),
            "median_ms": round(statistics.median(latencies) * 1000, 2),
            "p95_ms": round(percentile(latencies, 0.95) * 1000, 2),
            "max_ms": round(max(latencies) * 1000, 2),
            "ms_per_tip": round(statistics.median(latencies) * 1000 / batch, 2),
            "tips_per_s": round(tips / wall, 1)}


def run_concurrent(port: int, token: str, batches: list[list[dict]]) -> dict:
    """CONCURRENT_CLIENTS connections share the batches; throughput is all tips over the phase's wall time."""
    shares = [batches[i::CONCURRENT_CLIENTS] for i in range(CONCURRENT_CLIENTS)]
    latencies: list[list[float]] = [[] for _ in shares]
    failures: list[BaseException] = []
    deadline = time.perf_counter() + PHASE_BUDGET_SECONDS

    def client(index: int) -> None:
        gateway = Gateway(port, token)
        try:
            for batch in shares[index]:
                latencies[index].append(gateway.post(batch, True))
                if time.perf_counter() > deadline:
                    break
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            gateway.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CONCURRENT_CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"a concurrent client failed: {failures[0]}")
    flat = [latency for per_client in latencies for latency in per_client]
    batch = len(batches[0])
    result = summarise(f"concurrent-{CONCURRENT_CLIENTS}", flat, len(flat) * batch, wall, batch)
    log(f"  {result['phase']:<19} {result['requests']:>4} requests x {batch:>3} tips: median "
        f"{result['median_ms']:8.1f} ms  p95 {result['p95_ms']:8.1f} ms  {result['tips_per_s']:7.1f} tips/s")
    return result


def profile_requests(token: str, tips: list[dict], top: int) -> dict:
    """In-process (django.test.Client), after one warm-up request: single tips and 10-tip batches, timed
    plainly PROFILE_REPEATS times (the median request's wall and SQL time) and once more, with other
    keys, under cProfile."""
    from django.db import connection
    from django.test import Client

    client = Client(headers={"Authorization": f"Bearer {token}"}, SERVER_NAME=HOST)
    sql = {"count": 0, "seconds": 0.0}

    def timed_sql(execute, statement, params, many, context):
        started = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            sql["count"] += 1
            sql["seconds"] += time.perf_counter() - started

    def post(batch: list[dict], profiler: cProfile.Profile | None = None) -> float:
        sql.update(count=0, seconds=0.0)
        with connection.execute_wrapper(timed_sql):
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            response = client.post(URL, json.dumps(batch, ensure_ascii=False), content_type="application/json")
            if profiler:
                profiler.disable()
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"profiled request failed: {response.status_code} {response.content[:300]!r}")
        return elapsed

    post(tips[:1])
    report = {}
    singles, tens = chunks(tips[1 : 2 + PROFILE_REPEATS], 1), chunks(tips[2 + PROFILE_REPEATS :], 10)
    for name, batches in (("single", singles), ("batch-10", tens)):
        plain_runs = sorted((post(batch), sql["count"], sql["seconds"]) for batch in batches[:-1])
        total, queries, sql_seconds = plain_runs[len(plain_runs) // 2]
        profiled = batches[-1]
        profiler = cProfile.Profile()
        profiled_total = post(profiled, profiler)
        stats = pstats.Stats(profiler)
        report[name] = {
            "tips": len(profiled), "plain_requests": len(plain_runs), "total_ms": round(total * 1000, 1),
            "sql_queries": queries, "sql_ms": round(sql_seconds * 1000, 1),
            "profiled_total_ms": round(profiled_total * 1000, 1),
            "parts_share": {label: round(cumulative_ms(stats, file_part, function) / (profiled_total * 1000), 3)
                            for label, (file_part, function) in PROFILE_PARTS.items()},
            "top": top_functions(stats, top),
        }
        log(f"  profile {name}: median {report[name]['total_ms']} ms in-process, {queries} SQL queries "
            f"{report[name]['sql_ms']} ms; shares under cProfile {report[name]['parts_share']}")
    report["db_connect_ms"] = round(statistics.median(reconnect(connection) for _ in range(PROFILE_REPEATS)) * 1000, 1)
    log(f"  opening a database connection: median {report['db_connect_ms']} ms")
    return report


def reconnect(connection) -> float:
    """What the development server pays per HTTP connection: it serves each in a new thread and Django's
    database connections are per thread, so a request on a new HTTP connection opens one."""
    connection.close()
    started = time.perf_counter()
    connection.ensure_connection()
    return time.perf_counter() - started


# Cumulative time of these functions (file path fragment, function name), as the profile tells it.
PROFILE_PARTS = {
    "extract (language, selectors, indicators)": ("intake/extraction/extractor", "extract"),
    "route": ("intake/services", "route"),
    "situation grouping": ("intake/services", "situation_for"),
    "triage": ("intake/triage", "triage"),
    "audit.record": ("audit/services", "record"),
    "token auth": ("palermo/api", "authenticate"),
    "validate_signal": ("intake/services", "validate_signal"),
}


def cumulative_ms(stats: pstats.Stats, file_part: str, function: str) -> float:
    return sum(entry[3] for (path, _line, name), entry in stats.stats.items()
               if name == function and file_part in path) * 1000


def top_functions(stats: pstats.Stats, count: int) -> list[dict]:
    """The functions with the largest own time (tottime): where the CPU actually goes."""
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:count]
    return [{"function": f"{Path(path).name}:{line}:{name}", "own_ms": round(entry[2] * 1000, 2),
             "calls": entry[1]} for (path, line, name), entry in rows]


def measure(db: str, args) -> dict:
    configure(db)
    log(f"[{db}] {os.environ['DATABASE_URL']}")
    result: dict = {"db": db, "load_average_before": [round(x, 2) for x in os.getloadavg()]}
    server = None
    log_file = tempfile.NamedTemporaryFile("w+", prefix=f"intake-bench-{db}-", suffix=".log", delete=False)
    try:
        token = prepare_database()
        result["before"] = row_counts()
        singles = make_payloads(args.singles + WARM_UP_REQUESTS, "single", SEED)
        tens = make_payloads(args.batches_10 * 10, "ten", SEED + 1)
        hundreds = make_payloads(args.batches_100 * 100, "hundred", SEED + 2)
        concurrent = make_payloads(args.batches_10 * args.concurrent_batch, "parallel", SEED + 3)
        profiled = make_payloads(2 + PROFILE_REPEATS + 10 * (PROFILE_REPEATS + 1), "profiled", SEED + 4)
        port = free_port()
        server = start_server(port, log_file, args.server)
        gateway = Gateway(port, token)
        for tip in singles[:WARM_UP_REQUESTS]:
            gateway.post([tip], True)
        measured_singles = singles[WARM_UP_REQUESTS:]
        phases = [run_phase("single", gateway, chunks(measured_singles, 1), True),
                  run_phase("batch-10", gateway, chunks(tens, 10), True),
                  run_phase("batch-100", gateway, chunks(hundreds, 100), True)]
        # only keys the single phase actually sent (it stops early when its time budget is spent)
        replays = chunks(measured_singles[: min(args.replays, phases[0]["requests"])], 1)
        phases.append(run_phase("replay-1", gateway, replays, False))
        phases.append(run_phase("replay-100", gateway, chunks(hundreds, 100)[: phases[2]["requests"]], False))
        kept_alive = Gateway(port, token, keep_alive=True)
        phases.append(run_phase("replay-1 keep-alive", kept_alive, replays, False))
        kept_alive.close()
        phases.append(run_concurrent(port, token, chunks(concurrent, args.concurrent_batch)))
        stop_server(server)
        server = None
        result["phases"] = phases
        result["profile"] = profile_requests(token, profiled, args.top)
        result["after"] = row_counts()
        result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        result["tip_text_chars_median"] = statistics.median(len(t["text"]) for t in singles)
    finally:
        if server is not None:
            stop_server(server)
        log_file.close()
        from django.db import connections

        connections.close_all()
        drop(db)
    os.unlink(log_file.name)
    return result


# --- orchestration --------------------------------------------------------------------------------

def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def machine() -> dict:
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()
    import django
    import phonenumbers

    return {"nproc": os.cpu_count(), "memory_total": memory[1].split()[1] if len(memory) > 1 else "?",
            "python": platform.python_version(), "django": django.get_version(),
            "phonenumbers": phonenumbers.__version__, "platform": platform.platform(),
            "postgresql": postgres_version(), "date": time.strftime("%Y-%m-%d %H:%M %Z")}


def postgres_version() -> str:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres") as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-sqlite", action="store_true", help="also measure SQLite, in the same run")
    parser.add_argument("--singles", type=int, default=200, help="single-tip requests")
    parser.add_argument("--batches-10", type=int, default=30, help="10-tip requests (and per concurrent phase)")
    parser.add_argument("--batches-100", type=int, default=10, help="100-tip requests")
    parser.add_argument("--replays", type=int, default=100, help="single-tip requests sent again")
    parser.add_argument("--top", type=int, default=12, help="functions listed per profile")
    parser.add_argument("--json", type=Path, help="write all figures to this file")
    parser.add_argument("--server", choices=sorted(SERVERS), default="runserver",
                        help="development server (default) or the production one")
    parser.add_argument("--concurrent-batch", type=int, default=10, help="tips per request in the concurrent phase")
    parser.add_argument("--worker", choices=["postgres", "sqlite"], help=argparse.SUPPRESS)
    parser.add_argument("--result-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.replays > args.singles:
        parser.error("--replays cannot exceed --singles")

    if args.worker:
        args.result_file.write_text(json.dumps(measure(args.worker, args)))
        return

    results = {"machine": machine(), "server": args.server, "settings": {k: getattr(args, k) for k in
                                                  ("singles", "batches_10", "batches_100", "replays")},
               "conn_max_age": os.environ.get("PALERMO_DB_CONN_MAX_AGE", "0 (project default)"),
               "databases": []}
    for db in ["postgres", "sqlite"] if args.with_sqlite else ["postgres"]:
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            sizes = [f"--{name.replace('_', '-')}={value}" for name, value in results["settings"].items()]
            subprocess.run([sys.executable, __file__, *sizes, f"--top={args.top}", f"--server={args.server}",
                            f"--concurrent-batch={args.concurrent_batch}", "--worker", db,
                            "--result-file", out.name], check=True)
            results["databases"].append(json.loads(Path(out.name).read_text()))
    print_summary(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))


def print_summary(results: dict) -> None:
    m = results["machine"]
    print(f"\n{m['date']} · nproc {m['nproc']} · {m['memory_total']} RAM · Python {m['python']} · "
          f"Django {m['django']} · PostgreSQL {m['postgresql']} · PALERMO_DB_CONN_MAX_AGE {results['conn_max_age']}")
    print("| database | phase | requests × tips | median ms | p95 ms | ms per tip (median) | tips/s |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for db in results["databases"]:
        for p in db["phases"]:
            print(f"| {db['db']} | {p['phase']} | {p['requests']} × {p['batch']} | {p['median_ms']:.1f} | "
                  f"{p['p95_ms']:.1f} | {p['ms_per_tip']:.1f} | {p['tips_per_s']:.1f} |")
    for db in results["databases"]:
        print(f"\n{db['db']}: rows before {db['before']}, after {db['after']}; load average "
              f"{db['load_average_before']} → {db['load_average_after']}; median tip {db['tip_text_chars_median']} chars")
        print(f"{db['db']}: opening a database connection {db['profile']['db_connect_ms']} ms")
        for name in ("single", "batch-10"):
            profile = db["profile"][name]
            print(f"{db['db']} profile {name}: median {profile['total_ms']} ms in-process, SQL {profile['sql_queries']} "
                  f"queries {profile['sql_ms']} ms; under cProfile {profile['profiled_total_ms']} ms, shares "
                  f"{profile['parts_share']}")
            for row in profile["top"]:
                print(f"    {row['own_ms']:8.2f} ms  {row['calls']:6d}×  {row['function']}")


if __name__ == "__main__":
    main()
