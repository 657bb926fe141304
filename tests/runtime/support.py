"""Running Palermo's own commands in a separate process against another database, as an operator would."""

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

def identities_and_searches() -> dict:
    """What a restored or re-keyed database must still give back: identities, and search by blind index
    (JSON-normalised, so this process and another one compare equal)."""
    from palermo.core.crypto import blind_index
    from palermo.core.models import NameVariant, Person, Selector

    return json.loads(json.dumps({
        "persons": {p.pk: [p.given_name, p.family_name, p.date_of_birth, p.documents, p.contact]
                    for p in Person.objects.order_by("pk")},
        "selectors_found": {s.pk: sorted(Selector.objects.filter(value_index=blind_index(s.kind, s.value))
                                         .values_list("pk", flat=True)) for s in Selector.objects.order_by("pk")},
        "variants": {v.pk: [v.name, v.name_index] for v in NameVariant.objects.order_by("pk")},
    }, default=str, sort_keys=True))


READ_BACK = """
import json, django
django.setup()
from tests.runtime.support import identities_and_searches
print(json.dumps(identities_and_searches()))
"""


def command_env(tmp_path: Path, database_url: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PALERMO_", "DATABASE_URL"))}
    env.update(DATABASE_URL=database_url, PALERMO_VAR_DIR=str(tmp_path / "var"),
               PALERMO_FIELD_KEY=",".join(settings.PALERMO_FIELD_KEYS), PALERMO_AUDIT_KEY=settings.PALERMO_AUDIT_KEY,
               PALERMO_AUDIT_SIGNING_KEY=settings.PALERMO_AUDIT_SIGNING_KEY, **extra)
    return env


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)


def read_back(env: dict) -> dict:
    done = subprocess.run([sys.executable, "-c", READ_BACK], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextmanager
def fresh_database(tmp_path: Path, suffix: str):
    """A new, empty database of the same kind as the test database; its URL."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / f'{suffix}.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_{suffix}"
    server = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db.get("PASSWORD") or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST']}:{db['PORT']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
