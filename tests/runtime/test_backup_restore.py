"""`palermo backup` / `palermo restore`: the demo database is backed up, restored by another process into
a fresh database of the same kind (SQLite or PostgreSQL), `palermo audit verify` passes there, and every
identity and blind-index search reads back the same. Restore refuses what it must refuse."""

import io
import os

import pytest
from django.core.management import call_command

from palermo.audit.models import AuditEntry
from palermo.core import backup
from palermo.demo import scenario
from tests.runtime.support import command_env, fresh_database, identities_and_searches, manage, read_back

PASSPHRASE = "a long passphrase kept apart from the backups"
OTHER_FIELD_KEY = "b3RoZXIta2V5LWZvci1wYWxlcm1vLXRlc3RzLW9ubHk="


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_with_intact_audit_and_readable_identities(tmp_path, monkeypatch):
    scenario.load()
    monkeypatch.setenv(backup.PASSPHRASE_VARIABLE, PASSPHRASE)
    file = tmp_path / "palermo.backup"
    call_command("backup", str(file), stdout=io.StringIO())
    raw = file.read_bytes()
    assert b"PALERMO-BACKUP-1" in raw and b"woman" not in raw and b"AuditEntry" not in raw
    assert AuditEntry.objects.filter(action="backup").exists()

    expected = identities_and_searches()
    assert expected["persons"] and expected["selectors_found"]

    with fresh_database(tmp_path, "restored") as url:
        env = command_env(tmp_path, url, PALERMO_BACKUP_PASSPHRASE=PASSPHRASE)

        wrong_key = manage({**env, "PALERMO_FIELD_KEY": OTHER_FIELD_KEY}, "restore", str(file))
        assert wrong_key.returncode != 0 and "fingerprint" in wrong_key.stderr
        wrong_passphrase = manage({**env, "PALERMO_BACKUP_PASSPHRASE": "not the passphrase at all"}, "restore", str(file))
        assert wrong_passphrase.returncode != 0 and "wrong passphrase" in wrong_passphrase.stderr

        restored = manage(env, "restore", str(file))
        assert restored.returncode == 0, restored.stderr
        verified = manage(env, "audit", "verify")
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert "intact" in verified.stdout
        assert read_back(env) == expected

        again = manage(env, "restore", str(file))
        assert again.returncode != 0 and "not empty" in again.stderr


def sealed(lines: list[dict], secret: bytes = PASSPHRASE.encode()) -> bytes:
    out = io.BytesIO()
    writer = backup.SealedWriter(out, secret)
    for line in lines:
        writer.write_line(line)
    writer.close()
    return out.getvalue()


def test_sealed_file_reads_back_and_refuses_a_wrong_passphrase_edits_and_truncation():
    lines = [{"manifest": {"n": 1}}, *({"model": "x", "rows": [[i, os.urandom(8).hex()]]} for i in range(3))]
    data = sealed(lines)
    assert list(backup.read_lines(io.BytesIO(data), PASSPHRASE.encode())) == lines
    with pytest.raises(backup.BackupError, match="wrong passphrase"):
        list(backup.read_lines(io.BytesIO(data), b"another passphrase of some length"))
    edited = bytearray(data)
    edited[-20] ^= 1
    with pytest.raises(backup.BackupError, match="altered"):
        list(backup.read_lines(io.BytesIO(bytes(edited)), PASSPHRASE.encode()))
    with pytest.raises(backup.BackupError, match="truncated"):
        list(backup.read_lines(io.BytesIO(data[:-3]), PASSPHRASE.encode()))
    with pytest.raises(backup.BackupError, match="not a Palermo backup"):
        list(backup.read_lines(io.BytesIO(b"PK\x03\x04" + data), PASSPHRASE.encode()))


def test_a_short_passphrase_is_refused(monkeypatch):
    monkeypatch.setenv(backup.PASSPHRASE_VARIABLE, "short")
    with pytest.raises(backup.BackupError, match="at least 16"):
        backup.passphrase(None)
