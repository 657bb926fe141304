"""`palermo rotate-field-key`: after rotating to a new key and dropping the old one, every identity reads
back and blind-index search still finds the same records; a run that crashes half-way is finished by
running it again, without re-encrypting anything twice; the rotation is in the audit trail."""

import base64
import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError

from palermo.audit.models import AuditEntry
from palermo.audit.selectors import verify
from palermo.core import crypto, rotation
from palermo.demo import scenario
from tests.runtime.support import identities_and_searches

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(settings):
    """Change the configured keys within a test; the caches follow, and are dropped afterwards."""

    def configure(field_keys: list[str], index_key: str = "") -> None:
        settings.PALERMO_FIELD_KEYS, settings.PALERMO_INDEX_KEY = field_keys, index_key
        crypto.reset_key_caches()

    yield configure
    crypto.reset_key_caches()


def run(command: str) -> str:
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def values_still_under(key: str) -> int:
    old = Fernet(key.encode())
    stale = 0
    for model, fields in rotation.encrypted_models():
        for f in fields:
            for token in model._base_manager.annotate(t=rotation.Cast(f.attname, rotation.TextField())).values_list("t", flat=True):
                if token:
                    try:
                        old.decrypt(token.encode())
                        stale += 1
                    except Exception:  # noqa: BLE001 — any failure means: not under the old key
                        pass
    return stale


@pytest.mark.slow
def test_rotate_drop_the_old_key_read_back_and_search(keys, settings, monkeypatch):
    scenario.load()
    old_key = settings.PALERMO_FIELD_KEYS[0]
    expected = identities_and_searches()
    total = values_still_under(old_key)
    assert total > 50

    new_key = Fernet.generate_key().decode()
    keys([new_key, old_key])
    with pytest.raises(CommandError, match="PALERMO_INDEX_KEY"):
        run("rotate-field-key")  # the index key would be lost with the old key: refused

    keys([old_key])
    pinned = run("index-key").strip()
    keys([new_key, old_key], pinned)

    # A crash half-way (the process dies while re-encrypting the 40th value): what was committed stays.
    real_reencrypt, calls = crypto.reencrypt, []

    def crashing(token):
        calls.append(token)
        if len(calls) == 40:
            raise KeyboardInterrupt("the operator's session was cut")
        return real_reencrypt(token)

    monkeypatch.setattr(crypto, "reencrypt", crashing)
    monkeypatch.setattr(rotation, "BATCH", 5)  # small batches, so some committed before the crash
    with pytest.raises(KeyboardInterrupt):
        run("rotate-field-key")
    monkeypatch.setattr(crypto, "reencrypt", real_reencrypt)
    left = values_still_under(old_key)
    assert 0 < left < total

    resumed = rotation.rotate()
    assert resumed.rotated == left  # nothing re-encrypted twice
    assert values_still_under(old_key) == 0
    assert rotation.rotate().rotated == 0

    keys([new_key], pinned)  # the old key is gone
    assert identities_and_searches() == expected
    assert AuditEntry.objects.filter(action="rotate_field_key", details__values_rotated=left).exists()
    assert verify().ok


def test_a_wrongly_pinned_index_key_is_refused(keys, settings):
    scenario.load()
    old_key = settings.PALERMO_FIELD_KEYS[0]
    new_key = Fernet.generate_key().decode()
    keys([new_key, old_key], base64.urlsafe_b64encode(crypto.derived_index_key(new_key)).decode())  # not the old one's
    with pytest.raises(rotation.RotationRefused, match="blind indexes were made with"):
        rotation.rotate()
