"""Reads of cooperation requests, always through the visibility rule."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from palermo.audit import services as audit
from palermo.cooperation import rules
from palermo.cooperation.models import CooperationRequest
from palermo.core.selectors import NotVisible
from palermo.core.visibility import visible


def requests(user, *, direction: str = "", overdue: bool = False) -> QuerySet[CooperationRequest]:
    found = visible(CooperationRequest.objects.select_related("partner", "owner_agency"), user)
    if direction in (rules.OUTGOING, rules.INCOMING):
        found = found.filter(direction=direction)
    if overdue:
        found = found.exclude(status__in=rules.CLOSED).filter(deadline__lt=timezone.now())
    return found


def request_detail(user, pk) -> CooperationRequest:
    """The request with its text (which may name people): the read is audited."""
    try:
        found = requests(user).get(pk=int(pk))
    except (CooperationRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible("no such request") from exc
    audit.record(user, "view_sensitive", found)
    return found


def overview(user) -> dict[str, int]:
    """What a task force asked of whom and what is overdue, in counts."""
    now = timezone.now()
    mine = requests(user)
    open_ = mine.exclude(status__in=rules.CLOSED)
    return {"outgoing_open": open_.filter(direction=rules.OUTGOING).count(),
            "incoming_open": open_.filter(direction=rules.INCOMING).count(),
            "overdue": open_.filter(deadline__lt=now).count()}
