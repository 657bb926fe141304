"""Requests between states and agencies, sent and received through the federation."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from palermo.cooperation import rules
from palermo.core.crypto import EncryptedTextField
from palermo.core.models import Case, Governed
from palermo.federation.models import Partner


class CooperationRequest(Governed):
    """Owned by the requesting agency (outgoing) or by the addressed agency here (incoming). The text
    is encrypted at rest: it may name people. Persons are referred to by the sender's pseudonym."""

    DIRECTIONS = [(rules.OUTGOING, "Sent abroad"), (rules.INCOMING, "Received from abroad")]

    reference = models.CharField(max_length=40, help_text="The requester's reference")
    kind = models.CharField(max_length=40)
    direction = models.CharField(max_length=8, choices=DIRECTIONS)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    partner_agency = models.CharField(max_length=40, help_text="Code of the agency at the partner instance")
    partner_agency_name = models.CharField(max_length=200)
    partner_contact_point = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=200)
    details = EncryptedTextField()
    person_pseudonym = models.CharField(max_length=80, blank=True)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField()
    deadline = models.DateTimeField()
    status = models.CharField(max_length=12, choices=list(rules.STATUSES.items()), default=rules.SENT)
    conversation = models.CharField(max_length=64)
    reminders = models.PositiveIntegerField(default=0)
    last_reminder_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        constraints = [models.UniqueConstraint(fields=["partner", "direction", "reference"],
                                               name="cooperation_request_unique_reference")]

    @property
    def audit_label(self) -> str:
        return f"{self.direction} request {self.reference}"

    @property
    def kind_label(self) -> str:
        found = rules.kinds().get(self.kind)
        return found.label if found else self.kind

    @property
    def urgent(self) -> bool:
        found = rules.kinds().get(self.kind)
        return bool(found and found.urgent)


class RequestEvent(models.Model):
    """One step in a request's life, on this side: sent, received, acknowledged, reminded, answered…"""

    request = models.ForeignKey(CooperationRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=12, blank=True)
    what = models.CharField(max_length=40)
    note = EncryptedTextField(blank=True)
    by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    by_partner = models.CharField(max_length=200, blank=True)
    message_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    @property
    def label(self) -> str:
        """What happened, in words: a status change shows the new status."""
        return rules.STATUSES.get(self.status, "") if self.what == "status" else rules.EVENTS.get(self.what, self.what)
