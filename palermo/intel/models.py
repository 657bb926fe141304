"""Intelligence records: graded reports, collection requirements, operations, deconfliction alerts and
entity-resolution decisions.

Reports, requirements and operations are governed like the entity core (owner agency, sensitivity,
shares); alerts belong to the receiving agency and carry only the other owner's contact point.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from palermo.accounts.models import Agency, Compartment
from palermo.core.crypto import EncryptedJSONField, EncryptedTextField
from palermo.core.models import Case, Governed, Person, Selector
from palermo.intel.grading import MODELS
from palermo.intel.network.profile import network_types

GRADING_MODEL_CHOICES = [(m, m) for m in MODELS]


class IntelSettings(models.Model):
    """Per-agency choices for intelligence work: which grading model its analysts use."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="intel_settings")
    grading_model = models.CharField(max_length=10, choices=GRADING_MODEL_CHOICES, default="3x5x2")

    def __str__(self) -> str:
        return f"{self.agency.code}: {self.grading_model}"


class CollectionRequirement(Governed):
    """An analyst's question to collectors; the reports that answer it keep the link."""

    OPEN, ANSWERED, CLOSED = "open", "answered", "closed"
    STATUSES = [(OPEN, "Open"), (ANSWERED, "Answered"), (CLOSED, "Closed")]

    title = models.CharField(max_length=200)
    question = models.TextField()
    priority = models.CharField(max_length=10, choices=[("high", "High"), ("medium", "Medium"), ("low", "Low")],
                                default="medium")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default=OPEN)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["status", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        return f"requirement #{self.pk}"


class IntelligenceReport(Governed):
    """Raw information or analysed intelligence, graded under the owning agency's model. Handling
    conditions are stored with the report and inherited by every report derived from it."""

    INFORMATION, INTELLIGENCE = "information", "intelligence"
    KINDS = [(INFORMATION, "Information (as received)"), (INTELLIGENCE, "Analysed intelligence")]

    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=KINDS)
    body = EncryptedTextField()
    source_description = models.CharField(max_length=300, help_text="Who or what provided it (no identities)")
    grading_model = models.CharField(max_length=10, choices=GRADING_MODEL_CHOICES)
    grade_codes = models.JSONField(default=dict)
    grade_code = models.CharField(max_length=30)
    handling_code = models.CharField(max_length=2)
    handling_conditions = models.JSONField(default=list, blank=True)
    usable_as_evidence = models.BooleanField(
        default=False, help_text="Intelligence is not evidence unless the originator has said it may be used as such")
    review_on = models.DateField()
    expires_on = models.DateField()
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requirement = models.ForeignKey(CollectionRequirement, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="answers")
    derived_from = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="derivatives")

    class Meta:
        ordering = ["-created_at", "reference"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def audit_label(self) -> str:
        return self.reference


class Operation(Governed):
    """An operation plan: always secret and held in a compartment, every read audited."""

    PLANNING, ACTIVE, CLOSED = "planning", "active", "closed"
    STATUSES = [(PLANNING, "Planning"), (ACTIVE, "Active"), (CLOSED, "Closed")]

    name = models.CharField(max_length=200)
    compartment = models.ForeignKey(Compartment, on_delete=models.PROTECT, related_name="+")
    objective = models.TextField()
    targets = models.ManyToManyField(Person, blank=True, related_name="+")
    victim_risk_assessment = models.TextField(help_text="Risks to victims and how they are mitigated")
    operation_risk_assessment = models.TextField(help_text="Risks to the operation and its officers")
    status = models.CharField(max_length=10, choices=STATUSES, default=PLANNING)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return f"operation #{self.pk}"


class OperationDecision(models.Model):
    """Who decided what, why and when; entries are only ever added."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="decisions")
    decision = models.TextField()
    rationale = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "pk"]


class DeconflictionAlert(models.Model):
    """Tells one agency that another holds the same selector or person, and whom to call there.
    It names the other owner's contact point, never the other record's content."""

    SELECTOR, ENTITY = "selector", "entity"
    BASES = [(SELECTOR, "same selector"), (ENTITY, "same resolved person")]

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="deconfliction_alerts")
    other_agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    other_contact_point = models.CharField(max_length=200)
    basis = models.CharField(max_length=10, choices=BASES)
    match_key = models.CharField(max_length=100, help_text="Blind index or resolution link id; never content")
    own_selector = models.ForeignKey(Selector, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    own_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", help_text="Whose addition (or merge decision) made the match")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")

    class Meta:
        ordering = ["acknowledged_at", "-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "other_agency", "basis", "match_key"],
                                    name="deconfliction_alert_unique"),
            models.CheckConstraint(
                name="deconfliction_alert_has_own_record",
                condition=models.Q(own_selector__isnull=False, own_person__isnull=True)
                | models.Q(own_selector__isnull=True, own_person__isnull=False),
            ),
        ]

    @property
    def audit_label(self) -> str:
        return f"deconfliction alert #{self.pk}"


class DeconflictionRefusal(models.Model):
    """A selector addition refused because its user reached the limit of additions that trigger
    deconfliction checks; the user's supervisors see these in the deconfliction report."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30)
    holder_label = models.CharField(max_length=200, help_text="Pseudonym or organisation name, never content")
    additions_in_window = models.PositiveIntegerField()
    limit = models.PositiveIntegerField()
    window_minutes = models.PositiveIntegerField()
    refused_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-refused_at", "-pk"]

    @property
    def audit_label(self) -> str:
        return f"deconfliction refusal #{self.pk}"


class ResolutionLink(models.Model):
    """A reviewer's decision that two person records are (or are not) the same person. Accepting
    links them; a split un-links them; nothing is deleted, so every decision can be undone."""

    ACCEPTED, REJECTED, SPLIT = "accepted", "rejected", "split"
    STATUSES = [(ACCEPTED, "Merged"), (REJECTED, "Not the same person"), (SPLIT, "Merge undone")]

    left = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=STATUSES)
    match_probability = models.FloatField()
    # Evidence lines quote the names compared, so they are encrypted like the names themselves.
    evidence_for = EncryptedJSONField(default=list)
    evidence_against = EncryptedJSONField(default=list)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)
    reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="resolution_link_unique_pair"),
            models.CheckConstraint(name="resolution_link_ordered_pair", condition=models.Q(left__lt=models.F("right"))),
        ]

    @property
    def audit_label(self) -> str:
        return f"resolution link #{self.pk}"


class NetworkTypeJudgement(Governed):
    """An analyst's dated judgement of a network's type (chain, hub, mesh, broker, flux). The system never
    labels a network: it keeps the structural facts the analyst saw and the filters that produced them."""

    network_type = models.CharField(max_length=20, choices=[(code, spec["label"]) for code, spec in network_types().items()])
    judged_on = models.DateField()
    analyst = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rationale = models.TextField()
    structural_profile = models.JSONField(default=dict, help_text="Structural profile of the network when judged")
    scope = models.JSONField(default=dict, help_text="The filters (dates, countries, roles) the network was seen with")

    class Meta:
        ordering = ["-judged_on", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_network_type_display()} ({self.judged_on.isoformat()})"

    @property
    def audit_label(self) -> str:
        return f"network type judgement #{self.pk}"
