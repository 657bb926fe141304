"""/api/jobs/: a job's state and progress, for the requester and their supervisors."""

from datetime import datetime

from ninja import Router, Schema

from palermo.jobs import selectors as S

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: int
    kind: str
    label: str
    status: str
    progress_done: int
    progress_total: int
    message: str
    result: dict
    attempts: int
    requested_by: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def _out(job) -> dict:
    return {"id": job.pk, "kind": job.kind, "label": S.kind_label(job), "status": job.status,
            "progress_done": job.progress_done, "progress_total": job.progress_total, "message": job.message,
            "result": job.result, "attempts": job.attempts,
            "requested_by": job.requested_by.username if job.requested_by else None,
            "created_at": job.created_at, "started_at": job.started_at, "finished_at": job.finished_at}


@router.get("/{int:job_id}", response=JobOut, summary="A background job you asked for (or one of your team's)")
def job(request, job_id: int):
    return _out(S.job_for(request.user, job_id))
