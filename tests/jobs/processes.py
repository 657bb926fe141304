"""Real `palermo` processes against the test database: a worker, an import, a merge loop — started,
waited for, and killed with SIGKILL (the whole process group, as when a machine dies)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
WORKER_WITH_TEST_KINDS = Path(__file__).with_name("worker_with_test_kinds.py")
# A task whose worker died is delivered again this many seconds after it was claimed.
TEST_RETRY_SECONDS = 3


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    return f"postgres://{user}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def environment(**extra) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url(), "PALERMO_FIELD_KEY": ",".join(settings.PALERMO_FIELD_KEYS),
           "PALERMO_JOB_TIMEOUT": "60", "PALERMO_JOB_RETRY": str(TEST_RETRY_SECONDS), "PALERMO_WORKER_POLL": "0.2",
           "PALERMO_WORKER_PROCESSES": "1", "PALERMO_VAR_DIR": str(settings.VAR_DIR), "PYTHONUNBUFFERED": "1"}
    env.update(extra)
    return env


def start(args: list[str], **extra_env) -> subprocess.Popen:
    return subprocess.Popen(args, cwd=ROOT, env=environment(**extra_env), start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def palermo(*args: str, **extra_env) -> subprocess.Popen:
    """`palermo ARGS` through palermo/cli.py, with this worktree's code."""
    return start([sys.executable, "-m", "palermo.cli", *args], **extra_env)


def worker(test_kinds: bool = False) -> subprocess.Popen:
    if test_kinds:
        return start([sys.executable, str(WORKER_WITH_TEST_KINDS)])
    return palermo("worker")


def kill9(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


def stop(process: subprocess.Popen) -> str:
    """Stop gracefully (SIGTERM, as a service manager would); SIGKILL if it does not go. Returns its output."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)  # the cluster stops its own processes
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            kill9(process)
    try:
        os.killpg(process.pid, signal.SIGKILL)  # children a graceful stop left behind
    except ProcessLookupError:
        pass
    return process.stdout.read() if process.stdout else ""


def wait_until(predicate, timeout: float = 60, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def another_writer_in_transaction() -> bool:
    """True while another process holds an open transaction that has written (so a kill now is mid-write)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        probe = sqlite3.connect(db["NAME"], timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0] > 0


def audit_verify() -> str:
    """`palermo audit verify` in its own process; fails the test unless the chain is intact."""
    done = subprocess.run([sys.executable, "-m", "palermo.cli", "audit", "verify"], cwd=ROOT, env=environment(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "audit trail intact" in done.stdout, done.stdout + done.stderr
    return done.stdout
