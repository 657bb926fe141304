"""Shared fixtures. Every test database is real (SQLite by default, PostgreSQL with DATABASE_URL)."""

import pytest

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
