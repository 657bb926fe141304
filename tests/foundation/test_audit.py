"""The audit trail: chained, append-only, verified; failures stop the action; auditors see who viewed."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client

from palermo.accounts import roles as R
from palermo.audit import guards
from palermo.audit import services as audit
from palermo.audit.models import AuditEntry, AuditHead
from palermo.audit.selectors import verify
from palermo.core import selectors, services
from palermo.core.models import Person
from tests.foundation.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _without_update_guard(sql, params=()):
    """Simulate an insider with direct database access who drops the append-only triggers first."""
    for statement in guards.down_statements(connection.vendor):
        _raw(statement)
    _raw(sql, params)


def test_a_fresh_trail_verifies(world):
    result = verify()
    assert result.ok, result.problems
    assert result.checked == AuditEntry.objects.count() > 50


def test_edited_entry_is_detected(world):
    target = AuditEntry.objects.order_by("seq")[10]
    _without_update_guard("UPDATE audit_auditentry SET purpose = %s WHERE seq = %s", ["tampered", target.seq])
    result = verify()
    assert not result.ok
    assert any(f"entry {target.seq}: content does not match its hash" in p for p in result.problems)


def test_deleted_entry_is_detected(world):
    target = AuditEntry.objects.order_by("seq")[5]
    _without_update_guard("DELETE FROM audit_auditentry WHERE seq = %s", [target.seq])
    result = verify()
    assert any(f"expected entry {target.seq} here" in p for p in result.problems)


def test_reordered_entries_are_detected(world):
    a, b = AuditEntry.objects.order_by("seq")[3:5]
    _without_update_guard("UPDATE audit_auditentry SET seq = -1 WHERE seq = %s", [a.seq])
    _without_update_guard("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [a.seq, b.seq])
    _without_update_guard("UPDATE audit_auditentry SET seq = %s WHERE seq = -1", [b.seq])
    result = verify()
    assert not result.ok
    assert any("does not link" in p or "does not match" in p for p in result.problems)


def test_truncated_trail_is_detected(world):
    last = AuditEntry.objects.order_by("-seq").first()
    _without_update_guard("DELETE FROM audit_auditentry WHERE seq = %s", [last.seq])
    result = verify()
    assert any("chain head records entry" in p for p in result.problems)


def test_the_database_refuses_to_edit_or_delete_entries(world):
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        _raw("UPDATE audit_auditentry SET purpose = 'x' WHERE seq = 1")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        _raw("DELETE FROM audit_auditentry WHERE seq = 1")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        _raw("DELETE FROM audit_audithead")
    if connection.vendor == "postgresql":
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            _raw("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.filter(seq=1, purpose="").exists() and AuditHead.objects.exists()
    entry = AuditEntry.objects.first()
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_verify_command_reports_a_broken_chain(world, capsys):
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out
    _without_update_guard("UPDATE audit_auditentry SET actor_username = 'someone-else' WHERE seq = 2")
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("audit", "verify")


def test_when_the_audit_cannot_be_written_the_action_does_not_happen(world, monkeypatch):
    actor = world.users["a_investigator"]
    before = Person.objects.count()

    def failing_record(*args, **kwargs):
        raise RuntimeError("audit storage unavailable")

    monkeypatch.setattr(audit, "record", failing_record)
    with pytest.raises(RuntimeError):
        services.create_person(actor, {"given_name": "Never", "family_name": "Stored"})
    assert Person.objects.count() == before
    person = world.records[("person", "own_normal")]
    with pytest.raises(RuntimeError):
        selectors.reveal_identity(actor, person, "checking before an interview")


def test_auditor_sees_who_viewed_without_seeing_the_record(world):
    investigator, auditor = world.users["a_investigator"], world.users["o_auditor"]
    person = world.records[("person", "own_normal")]
    selectors.reveal_identity(investigator, person, "preparing the victim interview")
    client = Client()
    client.force_login(auditor)
    assert client.get(f"/persons/{person.pk}/").status_code == 404
    rows = client.get("/api/audit/who-viewed", {"object_type": "core.person", "object_id": person.pk}).json()
    assert [(r["actor_username"], r["purpose"]) for r in rows] == [("a_investigator", "preparing the victim interview")]
    assert rows[0]["object_label"] == person.pseudonym
    page = client.get(f"/audit/?who_viewed=1&object_type=core.person&object_id={person.pk}").content.decode()
    assert "preparing the victim interview" in page and "Given own_normal" not in page


def test_audit_reading_is_limited_by_role(world):
    client = Client()
    client.force_login(world.users["a_investigator"])
    assert client.get("/audit/").status_code == 403
    assert client.get("/api/audit/entries").status_code == 403
    client.force_login(world.users["a_supervisor"])
    agencies = {e["agency_code"] for e in client.get("/api/audit/entries", {"limit": 500}).json()["items"]}
    assert agencies <= {"agency-a"}
    assert world.users["a_supervisor"].has_role(R.SUPERVISOR)


def test_each_append_links_to_the_head(world):
    head = AuditHead.objects.get(pk=1)
    entry = audit.record(world.users["a_analyst"], "test_action", details={"n": 1})
    assert entry.seq == head.last_seq + 1 and entry.prev_hash == head.last_hash
    assert AuditHead.objects.get(pk=1).last_hash == entry.hash


def test_a_batch_of_entries_is_chained_in_order_under_one_lock_and_verifies(world):
    """record_many writes one entry per object, each chained to the one before, in one insert."""
    from django.test.utils import CaptureQueriesContext

    actor = world.users["a_investigator"]
    persons = list(Person.objects.filter(owner_agency=actor.agency)[:5])
    before = AuditHead.objects.get(pk=1)
    with CaptureQueriesContext(connection) as captured:
        entries = audit.record_many(actor, "bulk_check", [(p, {"n": i}) for i, p in enumerate(persons)],
                                    purpose="testing the batch writer")
    inserts = [q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 1
    stored = list(AuditEntry.objects.filter(action="bulk_check").order_by("seq"))
    assert [e.seq for e in stored] == list(range(before.last_seq + 1, before.last_seq + 6))
    assert stored[0].prev_hash == before.last_hash
    assert all(b.prev_hash == a.hash for a, b in zip(stored, stored[1:], strict=False))
    assert [e.object_id for e in stored] == [str(p.pk) for p in persons] and entries[-1].hash == stored[-1].hash
    assert AuditHead.objects.get(pk=1).last_hash == stored[-1].hash
    result = verify()
    assert result.ok, result.problems
    assert audit.record_many(actor, "bulk_check", []) == []
