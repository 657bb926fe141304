"""A background job as users and auditors see it; the queue underneath (django-q2) only carries its id."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"
    STATUSES = [(QUEUED, _("Waiting")), (RUNNING, _("Running")), (SUCCEEDED, _("Done")), (FAILED, _("Failed"))]

    kind = models.CharField(max_length=80)
    # None for scheduled housekeeping, which nobody requested and nobody but the system sees.
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    purpose = models.TextField(blank=True)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default=QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    # What the job produced: counts and references (e.g. {"file": "network.graphml", "proposals": 3}).
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # Enqueuing twice with the same key gives the same job, so a retried request does the work once.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="job_requester_recent")]

    @property
    def finished(self) -> bool:
        return self.status in (self.SUCCEEDED, self.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.SUCCEEDED:
            return 100
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0

    @property
    def audit_label(self) -> str:
        return f"job {self.pk} ({self.kind})"
