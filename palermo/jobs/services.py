"""Enqueue and run jobs. The queue (django-q2) carries only a job's id; the `Job` row carries its state,
so a task delivered twice, or again after its worker was killed, finds the job and does not redo it."""

from __future__ import annotations

import logging
import os
import time
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palermo.audit import services as audit
from palermo.core.selectors import NotVisible
from palermo.jobs import registry
from palermo.jobs.models import Job

logger = logging.getLogger("palermo.jobs")

RUN_JOB = "palermo.jobs.services.run_job"
RUN_SCHEDULED = "palermo.jobs.services.run_scheduled"
SCHEDULE_PREFIX = "palermo:"
PROGRESS_INTERVAL_SECONDS = 0.5


class JobError(Exception):
    """A failure that trying again will not cure (the requester must act); its message, translated, is
    shown on the job's page and the job fails at once."""


def enqueue(kind: str, *, requested_by=None, params: dict | None = None, purpose: str = "",
            key: str | None = None) -> Job:
    """Create the job and put it on the queue in the same transaction (the ORM broker's queue is a table
    of this database), so a job is never created without its task nor queued twice for the same key."""
    registry.kind(kind)
    with transaction.atomic():
        fields = {"kind": kind, "requested_by": requested_by, "params": params or {}, "purpose": purpose}
        if key:
            job, created = Job.objects.get_or_create(idempotency_key=key[:200], defaults=fields)
        else:
            job, created = Job.objects.create(**fields), True
        if created:
            _dispatch(job.pk)
    return job


def _dispatch(job_id: int) -> None:
    if settings.PALERMO_JOBS_INLINE:
        transaction.on_commit(lambda: _run_inline(job_id))
        return
    from django_q.tasks import async_task

    async_task(RUN_JOB, job_id, task_name=f"job-{job_id}")


def _run_inline(job_id: int) -> None:
    """Tests: every attempt at once, in this process, as the worker would make them one by one."""
    while True:
        try:
            run_job(job_id)
            return
        except Exception:  # noqa: BLE001 — run_job recorded the attempt; the next one decides
            continue


def _locked(job_id: int) -> Job | None:
    return Job.objects.select_for_update().filter(pk=job_id).first()


def run_job(job_id: int) -> None:
    """One attempt at a job (called by the worker). A finished job is left alone; a failed attempt is
    recorded and raised, so the queue delivers the task again until the kind's attempts are used up."""
    with transaction.atomic():
        job = _locked(job_id)
        if job is None or job.finished:
            return
        try:
            spec = registry.kind(job.kind)
        except registry.UnknownJobKind:
            _finish_failed(job, _("This kind of job is not known to this installation."), "unknown kind")
            return
        if job.attempts >= spec.max_attempts:
            # The last attempt never reported back: its worker died (killed, out of memory) mid-job.
            _finish_failed(job, _("The job stopped unexpectedly too many times."), job.error or "worker lost")
            return
        job.attempts += 1
        job.status = Job.RUNNING
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["attempts", "status", "started_at", "updated_at"])
    try:
        result = spec.handler(job, Progress(job))
    except Exception as exc:
        if _record_failure(job_id, spec, exc):
            raise  # not acknowledged: the queue delivers it again after `retry` seconds
        return
    finish(job, result or {})


def finish(job: Job, result: dict, effect=None) -> bool:
    """Mark the job done and apply its last write (`effect()`, e.g. an audit entry) in one transaction,
    so a run repeated after a crash finds it done and applies nothing twice. False if it already was."""
    with transaction.atomic():
        locked = _locked(job.pk)
        if locked is None or locked.finished:
            return False
        if effect is not None:
            effect()
        locked.status, locked.result, locked.finished_at = Job.SUCCEEDED, result, timezone.now()
        locked.progress_done = max(locked.progress_done, locked.progress_total)
        locked.message = ""
        locked.save()
    return True


def _record_failure(job_id: int, spec: registry.JobKind, exc: Exception) -> bool:
    """Record a failed attempt; True when there are attempts left."""
    logger.exception("job %s (%s) failed", job_id, spec.name)
    technical = f"{type(exc).__name__}: {exc}"[:2000]
    with transaction.atomic():
        job = _locked(job_id)
        if job.attempts >= spec.max_attempts or isinstance(exc, JobError):
            message = str(exc) if isinstance(exc, JobError) else _("The job failed; the operators have the details.")
            _finish_failed(job, message, technical)
            return False
        job.status, job.error = Job.QUEUED, technical
        job.message = str(_("Attempt %(n)d did not succeed; it will be tried again.") % {"n": job.attempts})
        job.save(update_fields=["status", "error", "message", "updated_at"])
        return True


def _finish_failed(job: Job, message, technical: str) -> None:
    job.status, job.finished_at, job.message, job.error = Job.FAILED, timezone.now(), str(message)[:200], technical
    job.save(update_fields=["status", "finished_at", "message", "error", "updated_at"])


class Progress:
    """`progress(done, total, message)` from inside a handler; written at most twice a second."""

    def __init__(self, job: Job):
        self.job_id, self._last = job.pk, 0.0

    def __call__(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if done < total and now - self._last < PROGRESS_INTERVAL_SECONDS:
            return
        self._last = now
        Job.objects.filter(pk=self.job_id).update(progress_done=max(done, 0), progress_total=max(total, 0),
                                                  message=str(message)[:200], updated_at=timezone.now())


# --- schedules ----------------------------------------------------------------------------------------


def run_scheduled(kind: str, now: datetime | None = None) -> int:
    """Called by the queue's scheduler: one job per kind and time slot, whichever worker gets there."""
    spec = registry.schedules().get(kind)
    if spec is None:
        return 0
    now = now or timezone.now()
    slot = int(now.timestamp()) // (spec.minutes * 60)
    return enqueue(kind, key=f"schedule:{kind}:{slot}").pk


def ensure_schedules() -> list[str]:
    """Create or update one django-q schedule per registered schedule (idempotent; run by `palermo worker`
    on start), and drop those of kinds no longer registered."""
    from django_q.models import Schedule

    names = []
    for kind, spec in registry.schedules().items():
        name = f"{SCHEDULE_PREFIX}{kind}"
        Schedule.objects.update_or_create(name=name, defaults={
            "func": RUN_SCHEDULED, "args": repr(kind), "schedule_type": Schedule.MINUTES, "minutes": spec.minutes,
            "repeats": -1})
        names.append(name)
    Schedule.objects.filter(name__startswith=SCHEDULE_PREFIX).exclude(name__in=names).delete()
    return names


# --- result files -------------------------------------------------------------------------------------


def job_directory(job: Job) -> Path:
    return Path(settings.VAR_DIR) / "jobs" / str(job.pk)


def write_result_file(job: Job, filename: str, content: bytes) -> dict:
    """Write the file whole or not at all (a killed worker leaves no half file behind)."""
    folder = job_directory(job)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{filename}.partial"
    partial.write_bytes(content)
    os.replace(partial, folder / filename)
    return {"file": filename, "bytes": len(content)}


def open_result_file(user, pk) -> tuple[Job, Path]:
    """The requester (and nobody else) downloads a job's file; each download is audited with the purpose
    they stated when they asked for it."""
    from palermo.jobs.selectors import job_for, may_download

    job = job_for(user, pk)
    filename = (job.result or {}).get("file")
    if not may_download(user, job) or not (job_directory(job) / filename).is_file():
        raise NotVisible("no such file")
    path = job_directory(job) / filename
    with transaction.atomic():
        audit.record(user, "download_export", job, purpose=job.purpose, details={"file": filename, "kind": job.kind})
    return job, path
