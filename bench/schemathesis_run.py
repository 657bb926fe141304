"""schemathesis over the whole OpenAPI as every demo user: 0 server errors, 0 responses that break the schema.

    .venv/bin/python bench/schemathesis_run.py [--db sqlite|postgres] [--examples 4]

Loads the demo scenario into a throw-away database (a SQLite file under var/bench/, or the PostgreSQL
database named by --pg-database, dropped and created here), issues an API token to every demo user and
runs tests/api_fuzz.py: for every operation, every user, valid and deliberately invalid input,
--examples generated requests each (derandomised, so runs repeat). Writes the record to
docs/benchmarks/schemathesis.md (--output) and exits 1 on any server error or schema violation.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
PG_SERVER = os.environ.get("PALERMO_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# A key for generated data only; real deployments take theirs from the environment.
BENCH_FIELD_KEY = "YmVuY2gta2V5LWZvci1wYWxlcm1vLWdlbmVyYXRlZCE="


def configure(db: str, pg_database: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "palermo.settings"
    os.environ["PALERMO_FIELD_KEY"] = BENCH_FIELD_KEY
    os.environ["PALERMO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-deployment")
    if db == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        path = BENCH_DIR / "schemathesis.sqlite3"
        for leftover in BENCH_DIR.glob("schemathesis.sqlite3*"):
            leftover.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        return
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {pg_database}")
        conn.execute(f"CREATE DATABASE {pg_database}")
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{pg_database}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-database", default="palermo_schemathesis")
    parser.add_argument("--examples", type=int, default=4, help="generated requests per operation, user and mode")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks" / "schemathesis.md")
    args = parser.parse_args()
    configure(args.db, args.pg_database)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from palermo.accounts.models import ApiToken, User
    from palermo.demo import scenario
    from tests.api_fuzz import fuzz, load_schema

    call_command("migrate", verbosity=0)
    scenario.load()
    users = list(User.objects.filter(is_active=True).order_by("username"))
    tokens = {user.username: ApiToken.issue(user, "schemathesis")[1] for user in users}
    operations = sum(1 for _ in load_schema().get_all_operations())
    started = time.perf_counter()
    result = fuzz(tokens, args.examples, keep_connection=False)
    seconds = time.perf_counter() - started
    vendor = f"{connection.vendor} {'.'.join(map(str, connection.Database.sqlite_version_info))}" \
        if connection.vendor == "sqlite" else f"PostgreSQL {connection.pg_version // 10000}"
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(result.statuses.items()))
    roles = sorted({role for user in users for role in user.roles})
    lines = [
        "# schemathesis over the whole API, as every demo user",
        "",
        f"Run: `.venv/bin/python bench/schemathesis_run.py --db {args.db} --examples {args.examples}` "
        f"(schemathesis {version('schemathesis')}, hypothesis {version('hypothesis')}, derandomised).",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {vendor}, "
        "in-process through the WSGI application (every middleware included), demo scenario loaded.",
        "",
        "Every operation of `/api/openapi.json` is called as every active demo user with valid (schema-conforming)",
        "and deliberately invalid input; each response is checked for a 5xx status and, where its status is",
        "documented, for the documented body schema and content type (`not_a_server_error`,",
        "`response_schema_conformance`, `content_type_conformance`).",
        "",
        "| figure | value |",
        "| --- | --- |",
        f"| operations | {operations} |",
        f"| users (roles) | {len(users)} ({', '.join(roles)}) |",
        f"| generated requests | {result.requests:,} |",
        f"| responses by status | {statuses} |",
        f"| server errors (5xx) | {result.server_errors} |",
        f"| responses that break the schema | {result.schema_violations} |",
        f"| wall time | {seconds:.0f} s ({result.requests / seconds:.0f} requests/s, 2 shared cores) |",
        "",
    ]
    if result.failures:
        lines += ["## Failures", "", "```", *result.failures, "```", ""]
    args.output.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 1 if result.failures or result.server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
