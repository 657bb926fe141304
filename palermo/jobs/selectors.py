"""Who sees a job: the user who asked for it and the supervisors of their agency. Scheduled housekeeping
(nobody asked for it) is seen by nobody here; operators read the worker's log."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from palermo.accounts import roles as R
from palermo.core.selectors import NotVisible
from palermo.jobs.models import Job


def jobs(user) -> QuerySet[Job]:
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    seen = Q(requested_by=user)
    if user.has_role(R.SUPERVISOR) and user.agency_id:
        seen |= Q(requested_by__agency_id=user.agency_id)
    return Job.objects.filter(seen).select_related("requested_by")


def job_for(user, pk) -> Job:
    try:
        number = int(pk)
        if not 0 < number < 2**63:
            raise ValueError(pk)
        return jobs(user).get(pk=number)
    except (Job.DoesNotExist, TypeError, ValueError) as exc:
        raise NotVisible("no such job") from exc


def may_download(user, job: Job) -> bool:
    """A job's file goes to the user who asked for it, and to nobody else (not even their supervisors)."""
    return job.requested_by_id == user.pk and job.status == Job.SUCCEEDED and bool((job.result or {}).get("file"))


def kind_label(job: Job) -> str:
    from palermo.jobs import registry

    try:
        return str(registry.kind(job.kind).label)
    except registry.UnknownJobKind:
        return job.kind
