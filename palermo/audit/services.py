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
    key = chain_key()
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditHead.objects.create(pk=1, last_seq=0, last_hash=GENESIS_HASH)
        agency = getattr(actor, "agency", None) if actor is not None else None
        fields = {
            "seq": head.last_seq + 1,
            "timestamp": timezone.now(),
            "actor_id": getattr(actor, "pk", None),
            "actor_username": getattr(actor, "username", "") or "",
            "agency_code": agency.code if agency else "",
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "object_label": object_label,
            "purpose": purpose,
            "details": details or {},
            "prev_hash": head.last_hash,
        }
        fields["hash"] = entry_hash({**fields, "timestamp": fields["timestamp"].isoformat()}, key)
        entry = AuditEntry.objects.create(**fields)
        head.last_seq, head.last_hash = entry.seq, entry.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry
