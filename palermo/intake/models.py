"""Intake records: signals (contacts), the situations they describe, routing rules and the queues.

A Signal is one contact (a call, a text, a web report). Several contacts about the same situation are
grouped in one Situation, so hotlines can count both. A signal is owned by the agency that received
it and shared with the agency or task force it is routed to; visibility is the core rule.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from palermo.accounts.models import Agency, TaskForce
from palermo.core.crypto import EncryptedJSONField, EncryptedTextField
from palermo.core.models import Governed
from palermo.intake.triage import LEVELS
from palermo.intake.vocabularies import (
    CALLER_TYPES,
    CHANNELS,
    EXPLOITATION_TYPES,
    STATUSES,
    VENUE_TYPES,
)


class RoutingRule(models.Model):
    """Data, edited by supervisors: where signals about a place and a type of exploitation go.
    Blank criteria match anything; the most specific active rule wins."""

    country = models.CharField(max_length=2)
    region = models.CharField(max_length=120, blank=True)
    exploitation_type = models.CharField(max_length=40, blank=True, choices=EXPLOITATION_TYPES)
    venue_type = models.CharField(max_length=40, blank=True, choices=VENUE_TYPES)
    target_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    target_task_force = models.ForeignKey(TaskForce, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")
    active = models.BooleanField(default=True)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["country", "region", "exploitation_type", "venue_type", "pk"]
        constraints = [
            models.CheckConstraint(
                name="routing_rule_has_one_target",
                condition=models.Q(target_agency__isnull=False, target_task_force__isnull=True)
                | models.Q(target_agency__isnull=True, target_task_force__isnull=False),
            )
        ]

    @property
    def target(self):
        return self.target_agency or self.target_task_force

    @property
    def audit_label(self) -> str:
        return f"routing rule #{self.pk}"

    def describe(self) -> str:
        parts = [self.country]
        if self.region:
            parts.append(self.region)
        if self.exploitation_type:
            parts.append(self.get_exploitation_type_display())
        if self.venue_type:
            parts.append(self.get_venue_type_display())
        return " / ".join(parts)


class Situation(models.Model):
    """What several contacts are about. Holds no content of its own, so it reveals nothing."""

    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def reference(self) -> str:
        return f"SIT-{self.pk:06d}"


class Signal(Governed):
    """One contact. Free text, contact details and extracted selectors are encrypted at rest."""

    situation = models.ForeignKey(Situation, on_delete=models.PROTECT, related_name="signals")
    channel = models.CharField(max_length=30, choices=CHANNELS)
    caller_type = models.CharField(max_length=30, choices=CALLER_TYPES, default="Anonymous")
    received_at = models.DateTimeField()
    language = models.CharField(max_length=12, blank=True, help_text="Detected from the free text")
    text = EncryptedTextField(blank=True)
    reporter_contact = EncryptedTextField(blank=True, help_text="Only when the reporter chose to give it")
    names_mentioned = EncryptedJSONField(blank=True, default="", help_text="Names the caller gave, matched by blind index")
    country = models.CharField(max_length=2)
    region = models.CharField(max_length=120, blank=True)
    location = models.CharField(max_length=300, blank=True)
    venue_type = models.CharField(max_length=40, blank=True, choices=VENUE_TYPES)
    exploitation_type = models.CharField(max_length=40, blank=True, choices=EXPLOITATION_TYPES)
    minors_involved = models.BooleanField(null=True)
    immediate_danger = models.BooleanField(null=True)
    ongoing_exploitation = models.BooleanField(null=True)
    interpreter_needed = models.BooleanField(default=False)
    interpreter_language = models.CharField(max_length=12, blank=True)
    indicator_codes = models.JSONField(default=list, blank=True, help_text="Checked by the operator")
    extracted = EncryptedJSONField(blank=True, default="",
                                   help_text="{'selectors': [...], 'indicators': [...]} with spans in the text")
    triage_level = models.CharField(max_length=10, choices=[(level, level) for level in LEVELS])
    urgency_rank = models.PositiveSmallIntegerField(help_text="0 = critical … 3 = low, for ordering queues")
    triage_score = models.PositiveSmallIntegerField()
    triage_reasons = models.JSONField(default=list)
    routed_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    routed_task_force = models.ForeignKey(TaskForce, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")
    routing_reason = models.CharField(max_length=300)
    sla_due_at = models.DateTimeField()
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=STATUSES, default="new")

    class Meta:
        ordering = ["urgency_rank", "sla_due_at", "pk"]
        indexes = [models.Index(fields=["routed_agency", "status", "urgency_rank", "sla_due_at"],
                                name="signal_queue_idx")]

    @property
    def reference(self) -> str:
        return f"SIG-{self.pk:06d}"

    @property
    def audit_label(self) -> str:
        return self.reference

    @property
    def queue(self):
        return self.routed_agency or self.routed_task_force

    @property
    def selectors(self) -> list[dict]:
        return (self.extracted or {}).get("selectors", [])

    @property
    def indicators(self) -> list[dict]:
        return (self.extracted or {}).get("indicators", [])


class SignalSelector(models.Model):
    """A blind index of each extracted selector, so repeated signals and known selectors are found
    by equality without decrypting anything."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="selector_indexes")
    kind = models.CharField(max_length=20)
    value_index = models.CharField(max_length=64, db_index=True)


class SignalNote(models.Model):
    """Information added after the first contact: by the reporter through the follow-up code, or by staff."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="notes")
    text = EncryptedTextField()
    from_reporter = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class Assignment(models.Model):
    """Every routing decision and reassignment, in order: the history of a signal's queue."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="assignments")
    from_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    from_task_force = models.ForeignKey(TaskForce, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_task_force = models.ForeignKey(TaskForce, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=[("routed", "routed"), ("reassigned", "reassigned"),
                                                    ("escalated", "escalated")])
    reason = models.CharField(max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    @property
    def to_queue(self):
        return self.to_agency or self.to_task_force


class ReportReceipt(models.Model):
    """What a public reporter holds: a follow-up code and a passphrase, of which only a hash is kept."""

    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="receipt")
    code = models.CharField(max_length=20, unique=True)
    passphrase_hash = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)


class PublicAttempt(models.Model):
    """One public submission or follow-up attempt, by a keyed hash of the address: for rate limits only."""

    address_index = models.CharField(max_length=64)
    kind = models.CharField(max_length=20)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["address_index", "kind", "at"], name="public_attempt_idx")]


class ChannelSubmission(models.Model):
    """A client-supplied key of the channel API: the same key returns the same signal."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    content_hash = models.CharField(max_length=64)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "key"], name="channel_key_unique_per_agency")]
