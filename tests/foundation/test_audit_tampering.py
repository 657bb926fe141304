"""An insider with database access tampers with the audit trail directly (raw SQL, triggers dropped
first); `palermo audit verify` catches each rewrite: the chain is keyed with a key outside the database,
and signed checkpoints of the head, kept outside the database, catch a cut tail with a moved head."""

import importlib
import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from palermo.audit import checkpoints, guards
from palermo.audit import services as audit
from palermo.audit.chain import GENESIS_HASH, HASHED_FIELDS, entry_hash, unkeyed_entry_hash
from palermo.audit.models import AuditEntry, AuditHead
from palermo.audit.selectors import verify
from tests.foundation.world import build_world

pytestmark = pytest.mark.django_db
rekeying = importlib.import_module("palermo.audit.migrations.0003_audit_chain_keyed")


@pytest.fixture
def world():
    return build_world()


def _sql(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _drop_guards():
    """What an attacker with database access does first."""
    for statement in guards.down_statements(connection.vendor):
        _sql(statement)


def _rows():
    return [{**row, "timestamp": row["timestamp"].isoformat()}
            for row in AuditEntry.objects.order_by("seq").values("id", *HASHED_FIELDS, "hash")]


def _rehash_from(seq, hash_of):
    """Recompute prev_hash and hash of every entry from `seq` on, and move the head to the end."""
    rows = _rows()
    previous = GENESIS_HASH
    for row in rows:
        if row["seq"] >= seq:
            row["prev_hash"] = previous
            row["hash"] = hash_of(row)
            _sql("UPDATE audit_auditentry SET prev_hash = %s, hash = %s WHERE id = %s",
                 [row["prev_hash"], row["hash"], row["id"]])
        previous = row["hash"]
    _sql("UPDATE audit_audithead SET last_seq = %s, last_hash = %s", [rows[-1]["seq"], previous])


def _with_stolen_key(row):
    return entry_hash(row, settings.PALERMO_AUDIT_KEY.encode())


def _with_guessed_key(row):
    return entry_hash(row, b"not-the-key")


def _more_entries(world, n=5):
    for i in range(n):
        audit.record(world.users["a_analyst"], "test_action", details={"n": i})


def test_an_edit_rehashed_with_plain_sha256_is_detected(world):
    _drop_guards()
    _sql("UPDATE audit_auditentry SET purpose = 'nothing to see' WHERE seq = 10")
    _rehash_from(10, unkeyed_entry_hash)
    result = verify()
    assert any("entry 10: content does not match its hash" in p for p in result.problems)


def test_an_edit_rehashed_with_a_guessed_key_is_detected(world):
    _drop_guards()
    _sql("UPDATE audit_auditentry SET actor_username = 'someone-else' WHERE seq = 7")
    _rehash_from(7, _with_guessed_key)
    assert any("entry 7: content does not match its hash" in p for p in verify().problems)


def test_a_delete_renumbered_and_rehashed_is_detected(world):
    last = AuditEntry.objects.order_by("-seq").first().seq
    _drop_guards()
    _sql("DELETE FROM audit_auditentry WHERE seq = 12")
    _sql("UPDATE audit_auditentry SET seq = -seq WHERE seq > 12")  # two steps: seq is unique
    _sql("UPDATE audit_auditentry SET seq = -seq - 1 WHERE seq < 0")
    _rehash_from(12, unkeyed_entry_hash)
    result = verify()
    assert result.checked == last - 1
    assert any("entry 12: content does not match its hash" in p for p in result.problems)


def test_reordered_entries_rehashed_are_detected(world):
    _drop_guards()
    _sql("UPDATE audit_auditentry SET seq = -1 WHERE seq = 5")
    _sql("UPDATE audit_auditentry SET seq = 5 WHERE seq = 6")
    _sql("UPDATE audit_auditentry SET seq = 6 WHERE seq = -1")
    _rehash_from(5, _with_guessed_key)
    assert any("entry 5: content does not match its hash" in p for p in verify().problems)


def test_a_cut_tail_with_the_head_moved_is_caught_by_the_last_checkpoint(world):
    checkpoints.make_checkpoint()
    exported = checkpoints.exported_files()
    assert len(exported) == 1
    checkpoint_seq = json.loads(exported[0].read_text())["seq"]
    _more_entries(world)
    assert verify(checkpoints=[checkpoints.load(exported[0])]).ok
    keep = checkpoint_seq - 3
    survivor = AuditEntry.objects.get(seq=keep)
    _drop_guards()
    _sql("DELETE FROM audit_auditentry WHERE seq > %s", [keep])
    _sql("UPDATE audit_audithead SET last_seq = %s, last_hash = %s", [keep, survivor.hash])
    assert verify().ok, "the keyed chain alone cannot see a clean cut: that is what checkpoints are for"
    result = verify(checkpoints=[checkpoints.load(exported[0])])
    assert any(f"checkpoint records entry {checkpoint_seq}, which the trail no longer holds" in p
               for p in result.problems)
    with pytest.raises(CommandError, match="BROKEN"):  # by default against the exported checkpoints
        call_command("audit", "verify")
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("audit", "verify", "--checkpoint", str(exported[0]))


def test_a_rewrite_with_the_stolen_key_below_a_checkpoint_is_detected(world):
    checkpoints.make_checkpoint()
    checkpoint = checkpoints.load(checkpoints.exported_files()[0])
    _drop_guards()
    _sql("UPDATE audit_auditentry SET purpose = 'rewritten' WHERE seq = 3")
    _rehash_from(3, _with_stolen_key)
    assert verify().ok
    result = verify(checkpoints=[checkpoint])
    assert any(f"entry {checkpoint.seq}: differs from the signed checkpoint" in p for p in result.problems)


def test_a_forged_checkpoint_is_refused(world, tmp_path):
    document = checkpoints.make_checkpoint()
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({**document, "seq": document["seq"] - 5}))
    with pytest.raises(checkpoints.CheckpointError, match="signature does not match"):
        checkpoints.load(forged)
    with pytest.raises(CommandError, match="signature does not match"):
        call_command("audit", "verify", "--checkpoint", str(forged))
    forged.rename(checkpoints.checkpoint_dir() / "checkpoint-999999999999-forged.json")
    client = Client()
    client.force_login(world.users["o_auditor"])
    result = client.get("/api/audit/verify").json()
    assert not result["ok"] and "signature does not match" in result["problems"][0]
    assert "signature does not match" in client.get("/audit/", {"verify": 1}).content.decode()


def test_checkpoint_command_writes_a_signed_checkpoint_and_verify_uses_it(world, capsys):
    call_command("audit", "checkpoint", "--print")
    printed = json.loads(capsys.readouterr().out)
    assert printed["seq"] == AuditEntry.objects.count() and printed["instance"] == settings.PALERMO_INSTANCE
    assert checkpoints.load(checkpoints.exported_files()[0]).hash == printed["hash"]
    call_command("audit", "verify")
    assert f"up to entry {printed['seq']}" in capsys.readouterr().out


def test_the_auditor_downloads_a_checkpoint_in_the_ui_and_api(world, client, tmp_path):
    client.force_login(world.users["a_supervisor"])
    assert client.get("/audit/checkpoint/").status_code == 403
    assert client.get("/api/audit/checkpoint").status_code == 403
    client.force_login(world.users["o_auditor"])
    response = client.get("/audit/checkpoint/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    downloaded = tmp_path / "downloaded.json"
    downloaded.write_bytes(response.content)
    assert checkpoints.load(downloaded).seq == AuditEntry.objects.count()
    body = client.get("/api/audit/checkpoint").json()
    assert body["hash"] == AuditEntry.objects.order_by("-seq").first().hash and body["signature"]


def test_an_unkeyed_trail_is_rehashed_under_the_key_once_verified(world):
    _drop_guards()
    _rehash_from(1, unkeyed_entry_hash)  # a trail as written before the chain was keyed
    unkeyed_head = AuditEntry.objects.order_by("-seq").first()
    assert not verify().ok
    rekeying.rekey_trail(AuditEntry, AuditHead, connection)
    result = verify()
    assert result.ok, result.problems
    closing = AuditEntry.objects.order_by("-seq").first()
    assert closing.action == "audit_chain_keyed"
    assert closing.details == {"unkeyed_head_seq": unkeyed_head.seq, "unkeyed_head_hash": unkeyed_head.hash}


def test_a_broken_unkeyed_trail_is_not_laundered_by_rehashing(world):
    _drop_guards()
    _rehash_from(1, unkeyed_entry_hash)
    _sql("UPDATE audit_auditentry SET purpose = 'edited' WHERE seq = 4")
    hashes_before = [row["hash"] for row in _rows()]
    with pytest.raises(RuntimeError, match="entry 4: content does not match"):
        rekeying.rekey_trail(AuditEntry, AuditHead, connection)
    assert [row["hash"] for row in _rows()] == hashes_before
