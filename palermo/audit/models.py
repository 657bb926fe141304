"""Append-only, hash-chained audit trail."""

from django.db import models


class AuditEntry(models.Model):
    seq = models.BigIntegerField(unique=True)
    timestamp = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    agency_code = models.CharField(max_length=40, blank=True, db_index=True)
    action = models.CharField(max_length=40, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=200, blank=True, help_text="Pseudonym or reference, never content")
    purpose = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        verbose_name_plural = "audit entries"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("the audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit trail is append-only")


class AuditHead(models.Model):
    """One row: the last sequence number and hash. Locking it serialises appends; comparing it with
    the trail detects entries cut from the end."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
