"""Shared fixtures. Every test database is real (SQLite by default, PostgreSQL with DATABASE_URL)."""

import os
from pathlib import Path

import pytest


def pytest_configure(config):
    """The SQLite test database is a file under var/ (so a real worker process can open it)."""
    Path(os.environ.get("PALERMO_VAR_DIR", Path(__file__).resolve().parent.parent / "var")).mkdir(exist_ok=True)


TEST_FIELD_KEY = "dGVzdC1rZXktZm9yLXBhbGVybW8tdGVzdHMtb25seSE="  # 32 bytes, urlsafe base64; tests only


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


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Password hashing is deliberately slow; tests do not need that."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _jobs_inline(settings):
    """Jobs run in the test's own process, at commit; tests/jobs starts a real worker instead."""
    settings.PALERMO_JOBS_INLINE = True
