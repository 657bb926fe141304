"""Reads about accounts: the history of grants and revocations, for the oversight body."""

from __future__ import annotations

from django.db.models import QuerySet

from palermo.accounts import grants as G
from palermo.accounts import roles as R
from palermo.audit.models import AuditEntry
from palermo.core.services import NotPermitted


def grant_history(user) -> QuerySet[AuditEntry]:
    """Who granted or took away which role or clearance, in every agency, newest first — refusals included.
    Oversight reads it whole; agencies cannot read each other's staffing."""
    if not (user.is_authenticated and user.has_role(R.AUDITOR)):
        raise NotPermitted("only the oversight body reviews grants and revocations")
    return AuditEntry.objects.filter(object_type="accounts.user", action__in=G.GRANT_ACTIONS).order_by("-seq")
