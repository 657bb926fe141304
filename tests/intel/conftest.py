"""The demo scenario, loaded once per test module through the real services and rolled back at the end.

Each test runs inside its own savepoint on top of it, so tests stay independent and fast.
"""

import pytest
from django.db import transaction
from django.test import override_settings

from palermo.demo import scenario


@pytest.fixture(scope="module")
def _demo_world(django_db_setup, django_db_blocker):
    # The per-test fast hasher is not active yet at module scope; demo users need no slow password hashing.
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), fast_hashing:
        world = scenario.load()
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_world, db):
    """The scenario, with per-user visibility caches dropped (a test may change memberships)."""
    for user in _demo_world.users.values():
        user.__dict__.pop("_palermo_viewer", None)
    return _demo_world
