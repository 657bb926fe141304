"""Seeds the load-test database: the generated multi-agency world of bench/seed_volume.py at a realistic size,
plus one signed-in account per demo role in the generated agencies, so every simulated user works on volume.

    .venv/bin/python bench/load/prepare.py --database-url postgres://postgres@127.0.0.1:5432/palermo_load \
        [--persons 100000 --selectors 1000000 --cases 10000] --out var/bench/load-world.json

Drops and recreates the database. Writes a JSON file the locustfile reads: the accounts (username, password,
roles; an API token for the hotline operator who feeds the channel API) and selector values to search for.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

# A key for generated data only; the load driver gives the server the same one.
BENCH_FIELD_KEY = "YmVuY2gta2V5LWZvci1wYWxlcm1vLWdlbmVyYXRlZCE="
BENCH_AUDIT_KEY = "bench-only-audit-chain-key"
PASSWORD = "load-test-password-2026"
# username, seeded agency, roles, clearance: the demo's roles (palermo/demo/scenario.py USERS) on volume data
ACCOUNTS = [
    ("load.investigator", "ro-police", ["investigator"], "secret"),
    ("load.analyst", "ro-police", ["analyst"], "restricted"),
    ("load.supervisor", "it-police", ["supervisor"], "restricted"),
    ("load.prosecutor", "ro-prosecutor", ["prosecutor"], "restricted"),
    ("load.casemanager", "ro-ngo", ["case_manager"], "restricted"),
    ("load.inspector", "it-labour", ["investigator"], "restricted"),
    ("load.coordinator", "ro-coordinator", ["national_coordinator"], "restricted"),
    ("load.hotline", "ro-ngo", ["hotline_operator"], "normal"),
]


def sign_in(host: str, account: dict) -> dict:
    """A signed-in session's cookies, through the log-in form. A password check costs about a second of CPU
    by design, so the load driver signs every account in before the timed run and simulated users share
    those sessions."""
    import requests

    with requests.Session() as browser:
        browser.get(f"{host}/login/")
        response = browser.post(f"{host}/login/", allow_redirects=False, data={
            "username": account["username"], "password": account["password"],
            "csrfmiddlewaretoken": browser.cookies.get("csrftoken"), "next": "/"})
        if response.status_code != 302:
            raise RuntimeError(f"log-in of {account['username']} failed: HTTP {response.status_code}")
        return browser.cookies.get_dict()


def recreate(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--selectors", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    recreate(args.database_url)
    os.environ.update(DJANGO_SETTINGS_MODULE="palermo.settings", PALERMO_FIELD_KEY=BENCH_FIELD_KEY,
                      PALERMO_AUDIT_KEY=BENCH_AUDIT_KEY, PALERMO_DEBUG="0", DATABASE_URL=args.database_url)
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-deployment")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import seed_volume
    from palermo.accounts.models import Agency, ApiToken, User

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    world = seed_volume.seed(args.persons, args.selectors, args.cases, progress=lambda m: print(f"  {m}", flush=True))
    # The simulated users sign in with a password only; multi-factor sign-in is tested on its own
    # (tests/foundation/test_sign_in_security.py) and costs one request at log-in, not per page.
    Agency.objects.update(mfa_required=False)
    accounts = []
    for username, agency, roles, clearance in ACCOUNTS:
        user = User.objects.create_user(username, password=PASSWORD, agency=Agency.objects.get(code=agency),
                                        roles=roles, clearance=clearance)
        account = {"username": username, "password": PASSWORD, "roles": roles}
        if "hotline_operator" in roles:
            account["token"] = ApiToken.issue(user, "load test")[1]
        accounts.append(account)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "accounts": accounts, "hits": world.hits[:500], "misses": world.misses[:500],
        "rows": seed_volume.row_counts(), "seconds": round(time.perf_counter() - started, 1),
    }, indent=1))
    print(f"seeded {seed_volume.row_counts()} in {time.perf_counter() - started:.0f} s → {args.out}")


if __name__ == "__main__":
    main()
