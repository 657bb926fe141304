"""The Transnational Referral Mechanism: the SOP library per country, measures chosen for a person,
consent per step and field, the safeguards before contact, tracing and return, and referrals between
countries carried by the federation.

Library, institutions and directory are reference data of each country, edited by its national
coordinator. Person records follow protection's rule: seen through the person, owned by the agency
that recorded them. Referrals are governed records of the sending agency (outgoing) or of the
addressed agency here (incoming); the packet is encrypted at rest on both sides.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models

from palermo.core.crypto import EncryptedTextField
from palermo.core.models import Governed, Person
from palermo.federation.models import Partner
from palermo.protection.models import ProtectionRecord
from palermo.referral import rules


class Institution(models.Model):
    """A body to which SOP measures route in one country (ministry, police unit, NGO, court…)."""

    country = models.CharField(max_length=2)
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=40)

    class Meta:
        ordering = ["country", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name


class IdentificationBody(models.Model):
    """Which body identifies victims in a country, and how (it differs from country to country)."""

    country = models.CharField(max_length=2, unique=True)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    how = models.TextField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    @property
    def audit_label(self) -> str:
        return f"identification body of {self.country}"


class SopMeasure(models.Model):
    """One measure of an SOP area in one country: WHAT, WHEN, WHO, HOW, and the institution responsible."""

    AREAS = list(rules.SOP_AREAS.items())

    country = models.CharField(max_length=2)
    area = models.CharField(max_length=30, choices=AREAS)
    code = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    what = models.TextField()
    when = models.TextField()
    who = models.TextField()
    how = models.TextField()
    for_children = models.BooleanField(default=False)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="measures")
    due_days = models.PositiveIntegerField(default=7, help_text="Usual days from choosing the measure to its due date")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "area", "code"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        return f"SOP measure {self.code}"


class ContactEntry(models.Model):
    """The transnational contact directory: country × SOP area × institution × contact person."""

    country = models.CharField(max_length=2)
    area = models.CharField(max_length=30, choices=SopMeasure.AREAS)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="contacts")
    contact_person = models.CharField(max_length=200)
    contact = models.CharField(max_length=200)
    last_verified = models.DateField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["country", "area", "institution__name"]

    @property
    def audit_label(self) -> str:
        return f"contact {self.contact_person} ({self.country})"


class PersonMeasure(ProtectionRecord):
    """A measure chosen à la carte for a person, routed to the institution responsible."""

    measure = models.ForeignKey(SopMeasure, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]


class StepConsent(ProtectionRecord):
    """The person's consent to one TRM step and, for a referral, to each packet field that may leave."""

    step = models.CharField(max_length=30, choices=list(rules.STEPS.items()))
    granted = models.BooleanField(default=True)
    fields = models.JSONField(default=list, help_text="Packet fields the person agreed to send (referral steps)")
    method = models.CharField(max_length=10, choices=[("oral", "oral"), ("written", "written")])
    language = models.CharField(max_length=40)
    interpreter = models.CharField(max_length=120, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta(ProtectionRecord.Meta):
        pass

    def as_rule(self) -> rules.StepConsent:
        return rules.StepConsent(self.step, self.granted, frozenset(self.fields), self.recorded_at, self.withdrawn_at)

    @property
    def field_labels(self) -> list[str]:
        return [rules.PACKET_FIELDS[f] for f in self.fields if f in rules.PACKET_FIELDS]


class IdentityNotice(ProtectionRecord):
    """That the person was told what protection of their identity can and cannot guarantee."""

    informed_at = models.DateTimeField()
    language = models.CharField(max_length=40)
    explained = models.TextField(help_text="What was explained, in a few words")

    class Meta(ProtectionRecord.Meta):
        pass


class RiskAssessment(ProtectionRecord):
    """The security and risk assessment, for return and for contact with the country of origin."""

    completed_on = models.DateField(null=True, blank=True, help_text="Empty while the assessment is running")
    return_safe = models.BooleanField(default=False)
    origin_contact_endangers = models.BooleanField(default=True)
    summary = EncryptedTextField()

    class Meta(ProtectionRecord.Meta):
        pass

    def as_rule(self) -> rules.RiskAssessment:
        return rules.RiskAssessment(self.completed_on, self.return_safe, self.origin_contact_endangers)


class OriginContact(ProtectionRecord):
    """A contact made with the country of origin's authorities or consulate, after the safeguards."""

    AUTHORITIES = [("authorities", "Authorities of the country of origin"), ("consulate", "Consulate")]

    authority = models.CharField(max_length=20, choices=AUTHORITIES)
    purpose = models.TextField()

    class Meta(ProtectionRecord.Meta):
        pass


class FamilyTracing(ProtectionRecord):
    """Family tracing, started only at the person's wish and never for a person seeking asylum."""

    note = models.TextField(blank=True)

    class Meta(ProtectionRecord.Meta):
        pass


class TransnationalReferral(Governed):
    """A request for assistance or for (re)integration support between two countries' contact points."""

    KINDS = [(rules.ASSISTANCE_REQUEST, "Request for assistance"),
             (rules.REINTEGRATION_REQUEST, "Request for (re)integration support")]
    OUTGOING, INCOMING = "outgoing", "incoming"
    DIRECTIONS = [(OUTGOING, "Sent abroad"), (INCOMING, "Received from abroad")]

    reference = models.CharField(max_length=40)
    kind = models.CharField(max_length=30, choices=KINDS)
    direction = models.CharField(max_length=8, choices=DIRECTIONS)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    partner_agency = models.CharField(max_length=40)
    partner_agency_name = models.CharField(max_length=200)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               help_text="Our person (outgoing only)")
    person_pseudonym = models.CharField(max_length=80)
    packet_text = EncryptedTextField(help_text="The packet fields as sent or received (JSON, encrypted)")
    fields_sent = models.JSONField(default=list)
    involves_return = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=list(rules.STATUSES.items()), default=rules.SENT)
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    conversation = models.CharField(max_length=64)
    sent_at = models.DateTimeField()
    history = models.JSONField(default=list, help_text="[{status, by, at, message_id}]")

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["partner", "direction", "reference"],
                                               name="referral_unique_reference")]

    @property
    def audit_label(self) -> str:
        return f"{self.direction} TRM referral {self.reference}"

    @property
    def packet(self) -> dict[str, str]:
        return json.loads(self.packet_text) if self.packet_text else {}

    @property
    def field_labels(self) -> list[str]:
        return [rules.PACKET_FIELDS[f] for f in self.fields_sent if f in rules.PACKET_FIELDS]
