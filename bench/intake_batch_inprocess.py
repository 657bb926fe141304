"""New tips per second through the channel API in batches, in-process (django.test.Client: the same
middleware, token auth, handler and database writes, without HTTP), so two versions of the code can be
compared back to back on a busy machine where a server's figures move by a factor of two between runs.

    .venv/bin/python bench/intake_batch_inprocess.py [--source DIR] [--db postgres|sqlite] [--batches 5] [--size 100]

--source serves the code of another checkout (e.g. `git archive <commit> | tar -x -C /tmp/before`) for a
before figure. The database (PostgreSQL `palermo_bench_inprocess` on PALERMO_BENCH_PG, or a SQLite file
under var/bench/) is created, loaded with the demo and dropped; the audit chain is verified at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = os.environ.get("PALERMO_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "palermo_bench_inprocess"
FIELD_KEY = "YmVuY2gta2V5LWZvci1wYWxlcm1vLWdlbmVyYXRlZCE="  # generated data only


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--size", type=int, default=100)
    args = parser.parse_args()
    sys.path[:0] = [str(args.source.resolve()), str(ROOT / "bench")]
    if args.db == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")
        url = f"{PG_SERVER}/{PG_DATABASE}"
    else:
        path = ROOT / "var" / "bench" / "intake_inprocess.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()
        url = f"sqlite:///{path}"
    os.environ.update(DJANGO_SETTINGS_MODULE="palermo.settings", PALERMO_FIELD_KEY=FIELD_KEY, PALERMO_DEBUG="0",
                      PALERMO_AUDIT_KEY="bench-only-audit-chain-key",
                      DJANGO_SECRET_KEY="bench-only-secret-key-not-for-deployment", DATABASE_URL=url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from intake_api_benchmark import chunks, make_payloads

    import palermo
    from palermo.accounts.models import ApiToken, User
    from palermo.audit.selectors import verify
    from palermo.demo import scenario

    call_command("migrate", verbosity=0)
    scenario.load()
    client = Client(headers={"Authorization": f"Bearer {ApiToken.issue(User.objects.get(username='ngo.hotline'), 'bench')[1]}"})
    tips = make_payloads(args.size * (args.batches + 1), "inprocess", 1)

    def post(batch: list[dict]) -> float:
        started = time.perf_counter()
        response = client.post("/api/intake/signals", json.dumps(batch), content_type="application/json")
        if response.status_code != 200 or not all(r["created"] for r in response.json()):
            raise SystemExit(f"HTTP {response.status_code}: {response.content[:300]!r}")
        return time.perf_counter() - started

    post(tips[: args.size])  # warm-up
    rates = [round(args.size / post(batch)) for batch in chunks(tips[args.size :], args.size)]
    chain = verify()
    print(json.dumps({"source": str(Path(palermo.__file__).parent.parent), "db": args.db, "batch": args.size,
                      "tips_per_s": rates, "median": statistics.median(rates), "audit_chain_ok": chain.ok,
                      "audit_entries": chain.checked, "load_average": os.getloadavg()}))
    connections.close_all()
    if args.db == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
    else:
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()


if __name__ == "__main__":
    main()
