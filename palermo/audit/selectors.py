"""Reading the audit trail: who may see which entries, and the verification walk."""

from __future__ import annotations

from django.db.models import QuerySet

from palermo.accounts import roles as R
from palermo.audit.chain import Verification, verify_entries
from palermo.audit.models import AuditEntry, AuditHead

READ_ACTIONS = ("reveal_identity", "view_sensitive", "export")


def entries_for(user) -> QuerySet[AuditEntry]:
    """Oversight (auditors) sees the whole trail; supervisors and administrators their agency's part."""
    if not user.is_authenticated:
        return AuditEntry.objects.none()
    if user.has_role(R.AUDITOR):
        return AuditEntry.objects.all()
    if user.has_role(R.SUPERVISOR, R.ADMINISTRATOR) and user.agency_id:
        return AuditEntry.objects.filter(agency_code=user.agency.code)
    return AuditEntry.objects.none()


def who_viewed(user, object_type: str, object_id: str) -> QuerySet[AuditEntry]:
    """Reads of one object: who, from which agency, when and why. Needs no access to the object itself."""
    return entries_for(user).filter(object_type=object_type, object_id=str(object_id), action__in=READ_ACTIONS)


def _as_chain_dict(entry: dict) -> dict:
    return {**entry, "timestamp": entry["timestamp"].isoformat()}


def verify(progress=None) -> Verification:
    fields = ["seq", "timestamp", "actor_id", "actor_username", "agency_code", "action", "object_type",
              "object_id", "object_label", "purpose", "details", "prev_hash", "hash"]
    rows = (_as_chain_dict(e) for e in AuditEntry.objects.order_by("seq").values(*fields).iterator(chunk_size=5000))
    head = AuditHead.objects.filter(pk=1).values("last_seq", "last_hash").first()
    return verify_entries(rows, head or {"last_seq": 0, "last_hash": "0" * 64}, progress=progress)
