"""The audit trail over the API: for oversight, and for supervisors over their own agency."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from palermo.accounts import roles as R
from palermo.audit import checkpoints, selectors
from palermo.core.pagination import KeysetPagination

router = Router(tags=["audit"])


class ShownPagination(KeysetPagination):
    """Pages of entries as the reader may see them (records outside their need-to-know masked)."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = selectors.shown(request.user, page[self.items_attribute])
        return page


class EntryOut(Schema):
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


class VerifyOut(Schema):
    ok: bool
    checked: int
    problems: list[str]


class CheckpointOut(Schema):
    format: str
    seq: int
    hash: str
    time: str
    instance: str
    public_key: str
    signature: str


def _require_reader(request):
    if not request.user.has_role(*R.AUDIT_READING_ROLES):
        raise HttpError(403, "your role does not read the audit trail")


@router.get("/entries", response=list[EntryOut])
@paginate(ShownPagination, ordering=("-seq",))
def entries(request, action: str | None = None, actor: str | None = None):
    _require_reader(request)
    qs = selectors.entries_for(request.user).order_by("-seq")
    if action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_username=actor)
    return qs


@router.get("/who-viewed", response=list[EntryOut])
def who_viewed(request, object_type: str, object_id: str):
    """Who read a record, when and why — without reading the record itself."""
    _require_reader(request)
    return selectors.shown(request.user, selectors.who_viewed(request.user, object_type, object_id).order_by("seq"))


@router.get("/verify", response=VerifyOut)
def verify(request):
    if not request.user.has_role(R.AUDITOR):
        raise HttpError(403, "verification of the whole trail is for oversight")
    anchors, refused = [], []
    for path in checkpoints.exported_files():
        try:
            anchors.append(checkpoints.load(path))
        except checkpoints.CheckpointError as exc:
            refused.append(str(exc))
    result = selectors.verify(checkpoints=anchors)
    problems = refused + result.problems
    return {"ok": not problems, "checked": result.checked, "problems": problems[:100]}


@router.get("/checkpoint", response=CheckpointOut)
def checkpoint(request):
    """A signed checkpoint of the chain's head, exported now, for the oversight body to keep."""
    if not request.user.has_role(R.AUDITOR):
        raise HttpError(403, "checkpoints of the trail are for oversight")
    return checkpoints.make_checkpoint()
