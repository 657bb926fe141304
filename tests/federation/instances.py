"""A second Palermo instance for federation tests: its own database, keys and server process on loopback."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cryptography.fernet import Fernet

REPO = Path(__file__).resolve().parents[2]
ADMIN = "platform.admin"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RemoteInstance:
    """Set up once (`set_up`, the slow part: migrations), then `copy_to` a fresh folder for each test."""

    def __init__(self, folder: Path, instance_id: str, country: str, *, port: int | None = None,
                 field_key: str | None = None):
        self.folder, self.instance_id, self.country = folder, instance_id, country
        self.database = folder / "palermo.sqlite3"
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.server: subprocess.Popen | None = None
        self.env = {**os.environ, "DJANGO_SETTINGS_MODULE": "palermo.settings", "PALERMO_VAR_DIR": str(folder),
                    "DATABASE_URL": f"sqlite:///{self.database}",
                    "PALERMO_FIELD_KEY": field_key or Fernet.generate_key().decode(),
                    "DJANGO_SECRET_KEY": "remote-instance-test-key", "PALERMO_DEBUG": "1",
                    "PALERMO_AUDIT_KEY": f"remote-audit-key-{instance_id}"}

    def copy_to(self, folder: Path) -> RemoteInstance:
        """The same instance (identity, keys, port) on a copy of its database."""
        folder.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(self.database) as source, sqlite3.connect(folder / "palermo.sqlite3") as target:
            source.backup(target)
        return RemoteInstance(folder, self.instance_id, self.country, port=self.port,
                              field_key=self.env["PALERMO_FIELD_KEY"])

    def manage(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=self.env, capture_output=True,
                              text=True, timeout=180)
        if done.returncode:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def set_up(self) -> RemoteInstance:
        self.manage("migrate", "--verbosity", "0")
        self.manage("shell", "-c", "from palermo.accounts.models import User; "
                    f"User.objects.create_superuser('{ADMIN}', password='remote-admin-pass', roles=['administrator'])")
        self.manage("federation", "init", "--user", ADMIN, "--instance-id", self.instance_id, "--name",
                    f"Palermo {self.country}", "--url", self.url, "--country", self.country,
                    "--contact-point", "duty desk")
        return self

    def card(self) -> dict:
        return json.loads(self.manage("federation", "card"))

    def add_partner(self, card: dict, types: str = "federation.ping") -> None:
        path = self.folder / f"card-{card['instance_id']}.json"
        path.write_text(json.dumps(card))
        self.manage("federation", "partner", "add", str(path), "--user", ADMIN, "--trust", "operational",
                    "--types", types, "--fingerprint", card["fingerprint"])

    def start(self) -> None:
        self.server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}",
                                        "--noreload", "--nothreading"], cwd=REPO, env=self.env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "login/", timeout=2).close()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise AssertionError(f"the remote instance did not start on {self.url}")

    def stop(self) -> None:
        if self.server is not None:
            self.server.kill()
            self.server.wait(timeout=10)
            self.server = None

    def query(self, sql: str, *params) -> list[tuple]:
        with sqlite3.connect(self.database) as db:
            return db.execute(sql, params).fetchall()
