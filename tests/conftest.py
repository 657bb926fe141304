"""Shared fixtures. Every test database is real (SQLite by default, PostgreSQL with DATABASE_URL)."""

import os
from pathlib import Path

import pytest


def pytest_configure(config):
    """The SQLite test database is a file under var/ (so a real worker process can open it)."""
    Path(os.environ.get("PALERMO_VAR_DIR", Path(__file__).resolve().parent.parent / "var")).mkdir(exist_ok=True)


TEST_FIELD_KEY = "dGVzdC1rZXktZm9yLXBhbGVybW8tdGVzdHMtb25seSE="  # 32 bytes, urlsafe base64; tests only
TEST_AUDIT_KEY = "test-audit-chain-key-for-palermo-tests-only"
TEST_AUDIT_SIGNING_KEY = "dGVzdC1zaWduaW5nLWtleS1mb3ItdGVzdHMtb25seSE="  # Ed25519 seed, 32 bytes; tests only


@pytest.fixture(autouse=True, scope="session")
def _field_key():
    """Tests encrypt with a fixed key unless the environment gives one."""
    from django.conf import settings

    from palermo.core import crypto

    if not settings.PALERMO_FIELD_KEYS:
        settings.PALERMO_FIELD_KEYS = [TEST_FIELD_KEY]
        crypto._fernet.cache_clear()
        crypto._index_key.cache_clear()
    yield


@pytest.fixture(autouse=True, scope="session")
def _audit_keys():
    """Tests chain and sign the audit trail with fixed keys unless the environment gives them."""
    from django.conf import settings

    settings.PALERMO_AUDIT_KEY = settings.PALERMO_AUDIT_KEY or TEST_AUDIT_KEY
    settings.PALERMO_AUDIT_SIGNING_KEY = settings.PALERMO_AUDIT_SIGNING_KEY or TEST_AUDIT_SIGNING_KEY
    yield


@pytest.fixture(autouse=True)
def _audit_checkpoints_in_tmp(settings, tmp_path, monkeypatch):
    """Checkpoints a test exports go to its own directory, never to var/ — also those written by the
    processes it starts (a worker runs the checkpoint job), so no test verifies against another's."""
    settings.PALERMO_AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
    monkeypatch.setenv("PALERMO_AUDIT_CHECKPOINT_DIR", str(tmp_path / "audit-checkpoints"))


@pytest.fixture(autouse=True, scope="session")
def _flush_lifts_the_audit_guard():
    """Transactional tests (browser tests) end with Django emptying every table. The audit tables refuse
    DELETE and TRUNCATE by trigger, so the test harness's flush, and only it, lifts the guard for its own
    statements and puts it back in the same transaction."""
    from django.db import connection

    from palermo.audit import guards

    operations = type(connection.ops)
    original = operations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        if "audit_auditentry" not in tables:
            return statements
        vendor = self.connection.vendor
        return guards.down_statements(vendor) + list(statements) + guards.up_statements(vendor)

    operations.sql_flush = sql_flush
    yield
    operations.sql_flush = original


@pytest.fixture(autouse=True, scope="session")
def _static_files_without_collectstatic():
    """Production serves the hashed copies `collectstatic` writes; tests read the sources directly
    (tests/runtime/test_production_runtime.py checks the real pipeline)."""
    from django.test.utils import override_settings

    with override_settings(STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Password hashing is deliberately slow; tests do not need that."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _jobs_inline(settings):
    """Jobs run in the test's own process, at commit; tests/jobs starts a real worker instead."""
    settings.PALERMO_JOBS_INLINE = True
