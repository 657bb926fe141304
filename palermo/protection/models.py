"""Protection records: screenings, decisions, needs, reflection periods, consent, referrals, measures.

Every record belongs to one person (palermo.core.models.Person) and is seen through that person: a user
sees the protection records of the persons they may see. Each record is owned by the agency that
recorded it (only that agency changes it). The service directory is shared by all agencies, except a
shelter's address, which never leaves the agency that runs the shelter.
"""

from django.conf import settings
from django.db import models

from palermo.accounts.models import Agency
from palermo.core.crypto import EncryptedTextField
from palermo.core.models import Person
from palermo.protection import vocabulary
from palermo.protection.domain import catalogue, consent, non_punishment, reflection, screening
from palermo.protection.domain._data import load

OUTCOMES = [(screening.INSUFFICIENT, "Insufficient indicators"), (screening.POSSIBLE, "Possible victim"),
            (screening.PRESUMED, "Presumed victim")]


def _role_choices(key: str) -> list[tuple[str, str]]:
    return [(entry["code"], entry["label"]) for entry in load("roles.json")[key]]


class ProtectionRecord(models.Model):
    """Common fields: whose record, which agency recorded it, who and when."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-recorded_at", "-pk"]

    @property
    def audit_label(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk} of {self.person.pseudonym}"


class Screening(ProtectionRecord):
    """One ILO/EC indicator screening with the explanation of its outcome (not a final decision)."""

    exploitation = models.CharField(max_length=10, choices=[(e, e) for e in catalogue.EXPLOITATIONS])
    age = models.FloatField(null=True, blank=True, help_text="Age used for the screening; empty when unknown")
    age_uncertain = models.BooleanField(default=False)
    treated_as_child = models.BooleanField(default=False)
    indicator_list = models.CharField(max_length=20)
    indicator_codes = models.JSONField(default=list)
    dimensions = models.JSONField(default=list, help_text="Per dimension: name, label, positive, indicators")
    outcome = models.CharField(max_length=30, choices=OUTCOMES)
    explanation = models.TextField()

    class Meta(ProtectionRecord.Meta):
        pass

    def positive_dimensions(self) -> list[dict]:
        return [d for d in self.dimensions if d["positive"]]


class PalermoFinding(ProtectionRecord):
    """A fact supporting one element of the Palermo test (act, means or purpose), with its sources."""

    element = models.CharField(max_length=10, choices=[("act", "Act"), ("means", "Means"), ("purpose", "Purpose")])
    code = models.CharField(max_length=40)
    facts = models.TextField()
    sources = models.JSONField(default=list)

    class Meta(ProtectionRecord.Meta):
        pass


class IdentificationDecision(ProtectionRecord):
    """The final decision, taken by an authorised role, with the HTCDS kind of deciding organisation."""

    status = models.CharField(max_length=30, choices=_role_choices("final_statuses"))
    htcds_status = models.CharField(max_length=40)
    decided_by_role = models.CharField(max_length=30)
    organisation_kind = models.CharField(max_length=40, choices=_role_choices("decision_organisation_kinds"))
    reason = models.TextField()
    explanation = models.TextField()

    class Meta(ProtectionRecord.Meta):
        pass


class NeedsAssessment(ProtectionRecord):
    """Needs first, in order: immediate medical; food, shelter, safety; psychosocial."""

    medical_needs = models.TextField(blank=True)
    medical_addressed = models.BooleanField(default=False)
    food_needs = models.TextField(blank=True)
    shelter_needs = models.TextField(blank=True)
    safety_needs = models.TextField(blank=True)
    basic_needs_addressed = models.BooleanField(default=False)
    psychosocial_needs = models.TextField(blank=True)

    class Meta(ProtectionRecord.Meta):
        pass


class InterviewPlan(ProtectionRecord):
    """Planned only after the needs assessment; the person chooses the interviewer's gender."""

    needs_assessment = models.ForeignKey(NeedsAssessment, on_delete=models.PROTECT, related_name="+")
    interviewer_gender = models.CharField(max_length=20, choices=vocabulary.choices("interviewer_genders"))
    interviewer_gender_chosen_by_person = models.BooleanField(default=True)
    first_interviewer = models.CharField(max_length=120)
    second_interviewer = models.CharField(max_length=120)
    interpreter = models.CharField(max_length=120, blank=True)
    interpreter_language = models.CharField(max_length=40, blank=True)
    interpreter_vetted = models.BooleanField(default=False)
    interpreter_incidents = models.TextField(blank=True)
    risk_assessment = models.TextField()
    planned_for = models.DateTimeField()

    class Meta(ProtectionRecord.Meta):
        pass


class ReflectionPeriod(ProtectionRecord):
    """A recovery and reflection period under a jurisdiction rule; never depends on cooperation."""

    rule_code = models.CharField(max_length=10, choices=[(code, r.jurisdiction) for code, r in reflection.rules().items()])
    starts_on = models.DateField()
    last_day = models.DateField()
    renewals = models.PositiveIntegerField(default=0)
    reminders = models.JSONField(default=list, help_text="ISO dates to remind the case manager")

    class Meta(ProtectionRecord.Meta):
        pass


class ConsentRecord(ProtectionRecord):
    """Consent for one purpose, with how it was obtained; withdrawable."""

    purpose = models.CharField(max_length=30, choices=list(consent.PURPOSES.items()))
    granted = models.BooleanField(default=True)
    method = models.CharField(max_length=10, choices=[(m, m) for m in consent.METHODS])
    language = models.CharField(max_length=40)
    interpreter = models.CharField(max_length=120, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta(ProtectionRecord.Meta):
        pass


class ServiceProvider(models.Model):
    """An entry of the shared service directory, run by one agency."""

    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=vocabulary.choices("provider_kinds"))
    country = models.CharField(max_length=2)
    region = models.CharField(max_length=120, blank=True)
    languages = models.JSONField(default=list)
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Places; empty when not applicable")
    accepting_referrals = models.BooleanField(default=True)
    contact = models.CharField(max_length=200, help_text="How a referring agency reaches the provider")
    address = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["country", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name


class Referral(ProtectionRecord):
    """A referral to a provider; its status history is kept as a list of {status, reason, by, at}."""

    provider = models.ForeignKey(ServiceProvider, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(max_length=10, choices=vocabulary.choices("referral_statuses"), default="sent")
    status_reason = models.TextField(blank=True)
    consent_basis = models.CharField(max_length=10, choices=[("consent", "consent"), ("override", "override")])
    consent_explanation = models.TextField()
    history = models.JSONField(default=list)

    class Meta(ProtectionRecord.Meta):
        pass


class SupportPlan(ProtectionRecord):
    plan_type = models.CharField(max_length=40, choices=vocabulary.choices("support_plan_types"))
    objectives = models.TextField()
    planned_end = models.DateField()
    actual_end = models.DateField(null=True, blank=True)

    class Meta(ProtectionRecord.Meta):
        pass


class CaseManagerAssignment(ProtectionRecord):
    """The latest assignment names the person's case manager."""

    case_manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(ProtectionRecord.Meta):
        pass


class RightsInformation(ProtectionRecord):
    """When the person was informed of a right, or when a milestone (statement, benefits) happened."""

    item = models.CharField(max_length=30, choices=vocabulary.choices("rights_items") + vocabulary.choices("milestones"))
    occurred_at = models.DateTimeField()
    language = models.CharField(max_length=40, blank=True)

    class Meta(ProtectionRecord.Meta):
        pass


class ChildSafeguards(ProtectionRecord):
    """Age assessment, guardian and best-interests assessment of a (presumed) child; latest record counts."""

    age_assessed_on = models.DateField(null=True, blank=True)
    assessed_age = models.FloatField(null=True, blank=True)
    guardian = models.CharField(max_length=200, blank=True)
    guardian_appointed_on = models.DateField(null=True, blank=True)
    best_interests_completed_on = models.DateField(null=True, blank=True)
    best_interests_assessed_by = models.CharField(max_length=200, blank=True)
    return_in_best_interests = models.BooleanField(default=False)

    class Meta(ProtectionRecord.Meta):
        pass


class MeasureAttempt(ProtectionRecord):
    """An attempt to record removal, detention or a consequential charge, and what the guard decided."""

    measure = models.CharField(max_length=30, choices=list(non_punishment.MEASURES.items()))
    identification_status = models.CharField(max_length=20, choices=list(non_punishment.IDENTIFICATION_STATUSES.items()))
    actor_role = models.CharField(max_length=30, blank=True)
    override_reason = models.TextField(blank=True)
    allowed = models.BooleanField()
    overridden = models.BooleanField(default=False)
    decision = models.TextField(help_text="Why the measure was refused, allowed or overridden")
    reported_to_coordinator = models.BooleanField(default=False)
    details = models.TextField(blank=True)

    class Meta(ProtectionRecord.Meta):
        pass

    @property
    def outcome(self) -> str:
        return "overridden" if self.overridden else "allowed" if self.allowed else "refused"
