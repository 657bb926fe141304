"""Writing to the audit trail. Callers write inside their own transaction, so that when the audit
entry cannot be written the action rolls back with it: nothing happens unaudited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from palermo.audit.chain import GENESIS_HASH, entry_hash
from palermo.audit.keys import chain_key
from palermo.audit.models import AuditEntry, AuditHead


def object_ref(obj) -> tuple[str, str, str]:
    """(type, id, label) for an audited object; the label is a pseudonym or reference, never content."""
    if obj is None:
        return "", "", ""
    label = getattr(obj, "audit_label", None) or ""
    return obj._meta.label_lower, str(obj.pk), str(label)[:200]


def record(actor, action: str, obj=None, *, purpose: str = "", details: dict | None = None,
           object_type: str = "", object_id: str = "", object_label: str = "") -> AuditEntry:
    if obj is not None:
        object_type, object_id, object_label = object_ref(obj)
    return _append(actor, [{"action": action, "object_type": object_type, "object_id": object_id,
                            "object_label": object_label, "purpose": purpose, "details": details}])[0]


def record_many(actor, action: str, items: list[tuple[object, dict]], *, purpose: str = "") -> list[AuditEntry]:
    """One entry per (object, details), chained in order under one lock of the head and written in one
    insert: a batch of a hundred intake tips costs the chain three statements, not five hundred."""
    rows = []
    for obj, details in items:
        object_type, object_id, object_label = object_ref(obj)
        rows.append({"action": action, "object_type": object_type, "object_id": object_id,
                     "object_label": object_label, "purpose": purpose, "details": details})
    return _append(actor, rows) if rows else []


def _append(actor, rows: list[dict]) -> list[AuditEntry]:
    key = chain_key()
    agency = getattr(actor, "agency", None) if actor is not None else None
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditHead.objects.create(pk=1, last_seq=0, last_hash=GENESIS_HASH)
        entries, seq, previous = [], head.last_seq, head.last_hash
        for row in rows:
            seq += 1
            fields = {
                "seq": seq,
                "timestamp": timezone.now(),
                "actor_id": getattr(actor, "pk", None),
                "actor_username": getattr(actor, "username", "") or "",
                "agency_code": agency.code if agency else "",
                "action": row["action"],
                "object_type": row["object_type"],
                "object_id": str(row["object_id"]),
                "object_label": row["object_label"],
                "purpose": row["purpose"],
                "details": row["details"] or {},
                "prev_hash": previous,
            }
            fields["hash"] = previous = entry_hash({**fields, "timestamp": fields["timestamp"].isoformat()}, key)
            entries.append(AuditEntry(**fields))
        if len(entries) == 1:
            entries[0].save(force_insert=True)
        else:
            AuditEntry.objects.bulk_create(entries)
        head.last_seq, head.last_hash = seq, previous
        head.save(update_fields=["last_seq", "last_hash"])
    return entries
