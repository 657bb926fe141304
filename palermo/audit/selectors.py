"""Reading the audit trail: who may see which entries, how entries about records the reader may not see
are shown, and the verification walk.

An entry names a record (type, id, label). Oversight (auditors) sees the whole trail. Everyone else sees
an entry's record only when the visibility rule of palermo.core.visibility lets them see the record
itself; otherwise the entry is shown as "a restricted record" without type, id, label or purpose, so the
trail never tells a reader what their need-to-know does not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import ForeignKey, Q, QuerySet
from django.utils.translation import gettext as _

from palermo.accounts import roles as R
from palermo.audit.chain import Verification, verify_entries
from palermo.audit.keys import chain_key
from palermo.audit.models import AuditEntry, AuditHead
from palermo.core import visibility as V
from palermo.core.models import Governed

READ_ACTIONS = ("reveal_identity", "view_sensitive", "export")


def sees_whole_trail(user) -> bool:
    return bool(user.is_authenticated and user.has_role(R.AUDITOR))


def entries_for(user) -> QuerySet[AuditEntry]:
    """The entries a user may list: oversight (auditors) the whole trail; supervisors and administrators
    their agency's part. Which of those entries may name their record is decided by `shown`."""
    if not user.is_authenticated:
        return AuditEntry.objects.none()
    if sees_whole_trail(user):
        return AuditEntry.objects.all()
    if user.has_role(R.SUPERVISOR, R.ADMINISTRATOR) and user.agency_id:
        return AuditEntry.objects.filter(agency_code=user.agency.code)
    return AuditEntry.objects.none()


def _model_of(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _visible_ids(user, object_type: str, ids: Iterable[str]) -> set[str]:
    """The ids among `ids` of records of `object_type` that `user` may see, by the one visibility rule.
    A governed record is asked about directly; any other model is seen when every governed record it
    points to (a protection record's person, an alert's selector) is seen. A type that is not a model
    is never shown with an id: there is no record to check it against."""
    model = _model_of(object_type)
    numeric = {i for i in ids if i.isdigit()}
    if model is None or not numeric:
        return set()
    records = model.objects.filter(pk__in=numeric)
    if issubclass(model, Governed):
        records = V.visible(records, user)
    else:
        for field in model._meta.concrete_fields:
            if isinstance(field, ForeignKey) and issubclass(field.related_model, Governed):
                parents = V.visible(field.related_model.objects.all(), user)
                records = records.filter(Q(**{f"{field.name}__isnull": True}) | Q(**{f"{field.name}__in": parents}))
    return {str(pk) for pk in records.values_list("pk", flat=True)}


@dataclass(frozen=True)
class ShownEntry:
    """An audit entry as one reader may see it."""

    seq: int
    timestamp: datetime
    actor_username: str
    agency_code: str
    action: str
    object_type: str
    object_id: str
    object_label: str
    purpose: str
    restricted: bool


def _show(entry: AuditEntry, restricted: bool) -> ShownEntry:
    if restricted:
        return ShownEntry(entry.seq, entry.timestamp, entry.actor_username, entry.agency_code, entry.action,
                          "", "", _("a restricted record"), "", True)
    return ShownEntry(entry.seq, entry.timestamp, entry.actor_username, entry.agency_code, entry.action,
                      entry.object_type, entry.object_id, entry.object_label, entry.purpose, False)


def shown(user, entries: Iterable[AuditEntry]) -> list[ShownEntry]:
    """Entries as `user` may see them: a record the user may not see becomes "a restricted record".
    Called on one page of entries at a time: one visibility query per record type on the page."""
    entries = list(entries)
    if sees_whole_trail(user):
        return [_show(e, False) for e in entries]
    ids_by_type: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        if e.object_id:
            ids_by_type[e.object_type].add(e.object_id)
    visible = {t: _visible_ids(user, t, ids) for t, ids in ids_by_type.items()}
    return [_show(e, bool(e.object_id) and e.object_id not in visible[e.object_type]) for e in entries]


def about_label(user, entries: QuerySet[AuditEntry], label: str) -> QuerySet[AuditEntry]:
    """Entries about the record(s) with this label — only records the user may see, so that asking for
    a label never confirms that a hidden record exists."""
    entries = entries.filter(object_label=label)
    if sees_whole_trail(user):
        return entries
    pairs = entries.exclude(object_id="").values_list("object_type", "object_id").distinct()
    ids_by_type: dict[str, set[str]] = defaultdict(set)
    for object_type, object_id in pairs:
        ids_by_type[object_type].add(object_id)
    allowed = Q(object_id="")
    for object_type, ids in ids_by_type.items():
        allowed |= Q(object_type=object_type, object_id__in=_visible_ids(user, object_type, ids))
    return entries.filter(allowed)


def who_viewed(user, object_type: str, object_id: str) -> QuerySet[AuditEntry]:
    """Reads of one object: who, from which agency, when and why. Oversight asks about any record without
    access to it; anyone else only about a record they may see."""
    object_id = str(object_id)
    if not sees_whole_trail(user) and object_id not in _visible_ids(user, object_type, [object_id]):
        return AuditEntry.objects.none()
    return entries_for(user).filter(object_type=object_type, object_id=object_id, action__in=READ_ACTIONS)


def _as_chain_dict(entry: dict) -> dict:
    return {**entry, "timestamp": entry["timestamp"].isoformat()}


def verify(progress=None, checkpoints=()) -> Verification:
    """Walks the whole chain under the key; with checkpoints (verified palermo.audit.checkpoints
    Checkpoint objects), also that the trail still reaches each and holds the same entry there."""
    fields = ["seq", "timestamp", "actor_id", "actor_username", "agency_code", "action", "object_type",
              "object_id", "object_label", "purpose", "details", "prev_hash", "hash"]
    rows = (_as_chain_dict(e) for e in AuditEntry.objects.order_by("seq").values(*fields).iterator(chunk_size=5000))
    head = AuditHead.objects.filter(pk=1).values("last_seq", "last_hash").first()
    return verify_entries(rows, head or {"last_seq": 0, "last_hash": "0" * 64}, chain_key(), progress=progress,
                          checkpoints={c.seq: c.hash for c in checkpoints})
