"""The audit trail over the API: for oversight, and for supervisors over their own agency."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from palermo.accounts import roles as R
from palermo.audit import selectors
from palermo.pagination import KeysetPagination

router = Router(tags=["audit"])


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


class VerifyOut(Schema):
    ok: bool
    checked: int
    problems: list[str]


def _require_reader(request):
    if not request.user.has_role(*R.AUDIT_READING_ROLES):
        raise HttpError(403, "your role does not read the audit trail")


@router.get("/entries", response=list[EntryOut])
@paginate(KeysetPagination, ordering=("-seq",))
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
    return list(selectors.who_viewed(request.user, object_type, object_id).order_by("seq"))


@router.get("/verify", response=VerifyOut)
def verify(request):
    if not request.user.has_role(R.AUDITOR):
        raise HttpError(403, "verification of the whole trail is for oversight")
    result = selectors.verify()
    return {"ok": result.ok, "checked": result.checked, "problems": result.problems[:100]}
