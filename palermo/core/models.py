"""The entity core: persons, organisations, selectors, cases — every one owned and governed.

A governed record has an owning agency and a sensitivity; anyone else sees it only through a Share.
Who sees what is decided in palermo.core.visibility and nowhere else.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models

from palermo.accounts import roles as R
from palermo.accounts.models import Agency, Compartment, TaskForce
from palermo.core import vocab
from palermo.core.crypto import EncryptedJSONField, EncryptedTextField
from palermo.core.normalisation import SELECTOR_TYPES


class Share(models.Model):
    """An explicit decision to let others see one record, for a stated purpose, under restrictions
    that travel with the record wherever it is shown."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    to_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    to_task_force = models.ForeignKey(TaskForce, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    to_compartment = models.ForeignKey(Compartment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=300)
    use_restrictions = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"], name="share_object_idx")]
        constraints = [
            models.CheckConstraint(
                name="share_has_exactly_one_recipient",
                condition=(
                    models.Q(to_agency__isnull=False, to_task_force__isnull=True, to_compartment__isnull=True)
                    | models.Q(to_agency__isnull=True, to_task_force__isnull=False, to_compartment__isnull=True)
                    | models.Q(to_agency__isnull=True, to_task_force__isnull=True, to_compartment__isnull=False)
                ),
            )
        ]

    @property
    def recipient(self):
        return self.to_agency or self.to_task_force or self.to_compartment

    @property
    def recipient_kind(self) -> str:
        return "agency" if self.to_agency_id else "task force" if self.to_task_force_id else "compartment"


class Governed(models.Model):
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    sensitivity = models.CharField(max_length=12, choices=list(R.SENSITIVITIES.items()), default=R.NORMAL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    shares = GenericRelation(Share)

    class Meta:
        abstract = True


class Person(Governed):
    """Shown by pseudonym; identity fields are encrypted at rest and revealed only for a stated purpose."""

    pseudonym = models.CharField(max_length=80, unique=True)
    source_ref = models.CharField(max_length=100, blank=True, help_text="The owning agency's own record number")
    given_name = EncryptedTextField(blank=True)
    family_name = EncryptedTextField(blank=True)
    name_index = models.CharField(max_length=64, blank=True, db_index=True)
    date_of_birth = EncryptedJSONField(blank=True, default="")
    documents = EncryptedJSONField(blank=True, default="")
    contact = EncryptedJSONField(blank=True, default="")
    gender = models.CharField(max_length=30, blank=True, choices=vocab.choices("genders"))
    citizenship = models.JSONField(default=list, blank=True, help_text="ISO 3166 codes (HTCDS prs_Citizenship)")
    primary_language = models.CharField(max_length=12, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["pseudonym"]
        constraints = [
            models.UniqueConstraint(fields=["owner_agency", "source_ref"], condition=~models.Q(source_ref=""),
                                    name="person_source_ref_unique_per_agency")
        ]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def audit_label(self) -> str:
        return self.pseudonym


class NameVariant(models.Model):
    """Any number of names in any script, each with where it was found."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_variants")
    name = EncryptedTextField()
    name_index = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(max_length=30, choices=vocab.choices("name_kinds"), default="Alias")
    script = models.CharField(max_length=30, blank=True)
    source = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)


class Organisation(Governed):
    """Including front businesses: travel agencies, bars, recruitment agencies."""

    name = models.CharField(max_length=200)
    org_type = models.CharField(max_length=40, choices=vocab.choices("organisation_types"))
    country = models.CharField(max_length=2, blank=True)
    city = models.CharField(max_length=120, blank=True)
    address = models.CharField(max_length=300, blank=True)
    registration_number = models.CharField(max_length=60, blank=True)
    suspected_front = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name


class Case(Governed):
    reference = models.CharField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=vocab.choices("case_statuses"), default="Active")
    exploitation_types = models.JSONField(default=list, blank=True)
    means_of_control = models.JSONField(default=list, blank=True)
    recruitment_methods = models.JSONField(default=list, blank=True)
    opened_on = models.DateField()
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="led_cases")
    organisations = models.ManyToManyField(Organisation, through="CaseOrganisation", related_name="cases")

    class Meta:
        ordering = ["-opened_on", "reference"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def audit_label(self) -> str:
        return self.reference


class CaseOrganisation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    relation = models.CharField(max_length=200, blank=True, help_text="e.g. place of exploitation, front for recruitment")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "organisation"], name="case_org_unique")]


class CaseEvent(models.Model):
    """A dated step on the case timeline, tagged by stage (HTCDS Historic Trafficking Events)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    stage = models.CharField(max_length=20, choices=vocab.choices("event_stages"))
    occurred_on = models.DateField()
    place = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2, blank=True)
    description = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "pk"]


class PersonRole(models.Model):
    """Roles are non-exclusive and dated: a victim can later be a recruiter."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=30, choices=vocab.choices("person_roles"))
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="person_roles")
    perpetrator_roles = models.JSONField(default=list, blank=True, help_text="HTCDS per_RoleInProcess codes")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["started_on", "pk"]


class Selector(Governed):
    """A phone, e-mail, handle, document, vehicle, account or address in canonical form. Values are
    encrypted; `value_index` (a blind index) lets "who else has this phone?" work across agencies."""

    kind = models.CharField(max_length=20, choices=[(k, k.replace("_", " ")) for k in SELECTOR_TYPES])
    value = EncryptedTextField()
    value_index = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner_agency", "value_index"], name="selector_unique_per_agency")]

    @property
    def audit_label(self) -> str:
        return f"{self.kind} selector #{self.pk}"


class SelectorLink(models.Model):
    """Who used a selector, according to which source, since when, recorded by whom."""

    selector = models.ForeignKey(Selector, on_delete=models.CASCADE, related_name="links")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="selector_links")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="selector_links")
    source = models.CharField(max_length=300)
    observed_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="selector_link_has_one_holder",
                condition=models.Q(person__isnull=False, organisation__isnull=True)
                | models.Q(person__isnull=True, organisation__isnull=False),
            )
        ]
