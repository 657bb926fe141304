"""Reads of the entity core. Everything here starts from palermo.core.visibility, and every read of
sensitive data (a person's identity) is written to the audit trail before it is returned."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils.formats import number_format

from palermo.accounts import roles as R
from palermo.audit import services as audit
from palermo.core import visibility as V
from palermo.core.crypto import blind_index
from palermo.core.models import Case, Organisation, Person, Selector
from palermo.core.rules import FieldErrors, describe_date_of_birth
from palermo.core.services import NotPermitted, validate_selector

MIN_PURPOSE_LENGTH = 10


class NotVisible(LookupError):
    """The record does not exist for this user (absent and invisible look the same: no leak)."""


def _get(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible(f"no such {queryset.model._meta.verbose_name}") from exc


def person_list(user, *, role: str | None = None) -> QuerySet[Person]:
    qs = V.persons(user).select_related("owner_agency")
    if role:
        qs = qs.filter(Exists(V.person_roles(user).filter(person_id=OuterRef("pk"), role=role)))
    return qs.order_by("pseudonym")


def person_detail(user, pk) -> Person:
    return _get(V.persons(user).select_related("owner_agency"), pk)


def case_list(user, *, status: str | None = None, exploitation: str | None = None) -> QuerySet[Case]:
    qs = V.cases(user).select_related("owner_agency", "lead")
    if status:
        qs = qs.filter(status=status)
    if exploitation:
        # JSON containment differs per database; exploitation lists are short, so match the JSON text.
        qs = qs.filter(exploitation_types__icontains=f'"{exploitation}"')
    return qs


def case_detail(user, pk) -> Case:
    return _get(V.cases(user).select_related("owner_agency", "lead"), pk)


def organisation_list(user) -> QuerySet[Organisation]:
    return V.organisations(user).select_related("owner_agency")


def organisation_detail(user, pk) -> Organisation:
    return _get(V.organisations(user).select_related("owner_agency"), pk)


def case_timeline(user, case: Case):
    return V.case_events(user).filter(case=case).order_by("occurred_on", "pk")


def case_people(user, case: Case):
    return V.person_roles(user).filter(case=case).select_related("person").order_by("role", "person__pseudonym")


def case_organisations(user, case: Case):
    return V.case_organisations(user).filter(case=case).select_related("organisation")


def person_roles(user, person: Person):
    return V.person_roles(user).filter(person=person).select_related("case").order_by("started_on")


def person_selectors(user, holder: Person | Organisation):
    field = "person" if isinstance(holder, Person) else "organisation"
    return V.selector_links(user).filter(**{field: holder}).select_related("selector", "selector__owner_agency")


def person_cases(user, person: Person) -> QuerySet[Case]:
    return V.cases(user).filter(person_roles__person=person).distinct()


def shares_of(user, obj):
    """The owner sees every share of its record; a recipient sees the shares that reach it."""
    if V.is_owner(user, obj):
        return obj.shares.select_related("to_agency", "to_task_force", "to_compartment", "created_by").order_by("-created_at")
    return V.shares_reaching(user, obj).select_related("to_agency", "to_task_force", "to_compartment")


def stated_purpose(purpose) -> str:
    """The purpose the user gave for a read that is audited; refused when missing or too short, so that
    the trail never records a purpose the user did not state."""
    purpose = purpose.strip() if isinstance(purpose, str) else ""
    if len(purpose) < MIN_PURPOSE_LENGTH:
        raise FieldErrors({"purpose": [f"state the purpose in at least {MIN_PURPOSE_LENGTH} characters"]})
    return purpose


def reveal_identity(user, person: Person, purpose: str) -> dict:
    """A person's identity (names, date of birth, documents, contact details and the values of the selectors
    they hold), for a stated purpose. The audit entry is written first; if it cannot be
    written, nothing is returned."""
    if not user.has_role(*R.IDENTITY_REVEALING_ROLES):
        raise NotPermitted("your role does not allow revealing identities")
    if not V.can_see(user, person):
        raise NotVisible("no such person")
    purpose = stated_purpose(purpose)
    with transaction.atomic():
        audit.record(user, "reveal_identity", person, purpose=purpose)
        variants = [
            {"name": v.name, "kind": v.kind, "script": v.script, "source": v.source}
            for v in V.name_variants(user).filter(person=person).order_by("pk")
        ]
        held = [
            {"kind": link.selector.kind, "value": link.selector.value, "source": link.source,
             "observed_on": link.observed_on}
            for link in person_selectors(user, person).order_by("pk")
        ]
    return {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth,
        "date_of_birth_text": describe_date_of_birth(person.date_of_birth),
        "documents": person.documents or [],
        "contact": person.contact or {},
        "name_variants": variants,
        "selectors": held,
    }


@dataclass
class SelectorHit:
    selector: Selector
    holder: Person | Organisation
    source: str
    observed_on: object
    owner_agency: str
    use_restrictions: list[str]


def selector_search(user, kind: str, raw: str, *, region: str | None = None,
                    qualifier: str | None = None) -> tuple[str, list[SelectorHit]]:
    """"Who else has this phone?": every visible holder of the same canonical selector, across the
    agencies whose records the user may see, with provenance and the restrictions of the shares."""
    value = validate_selector(kind, raw, region=region, qualifier=qualifier)
    matches = V.selectors(user).filter(value_index=blind_index(kind, value))
    links = V.selector_links(user).filter(selector__in=matches).select_related(
        "selector", "selector__owner_agency", "person", "organisation").order_by("pk")
    hits = []
    for link in links:
        holder = link.person or link.organisation
        restrictions = [s.use_restrictions for s in V.shares_reaching(user, holder) if s.use_restrictions]
        hits.append(SelectorHit(link.selector, holder, link.source, link.observed_on,
                                link.selector.owner_agency.name, restrictions))
    return value, hits


def dashboard_counts(user) -> dict[str, int]:
    """Counts on the home page come from the same visible querysets: a leaked count is a leak."""
    return {
        "persons": V.persons(user).count(),
        "cases": V.cases(user).count(),
        "organisations": V.organisations(user).count(),
        "selectors": V.selectors(user).count(),
    }


@dataclass(frozen=True)
class CappedCount:
    """A count that stopped at a cap: "1,000+" says enough on a page, and counting a million visible
    selectors through the visibility rule took seconds on every home page view."""

    value: int
    more: bool

    def __str__(self) -> str:
        return f"{number_format(self.value, force_grouping=True)}+" if self.more else str(self.value)


def capped_count(queryset: QuerySet, cap: int) -> CappedCount:
    """SELECT COUNT(*) over at most cap + 1 rows: the database stops at the cap."""
    found = queryset.order_by()[: cap + 1].count()
    return CappedCount(min(found, cap), found > cap)


def dashboard_counts_capped(user, cap: int = 1_000) -> dict[str, CappedCount]:
    return {"persons": capped_count(V.persons(user), cap), "cases": capped_count(V.cases(user), cap),
            "organisations": capped_count(V.organisations(user), cap),
            "selectors": capped_count(V.selectors(user), cap)}


def cases_by_status(user) -> list[dict]:
    return list(V.cases(user).values("status").annotate(n=Count("pk")).order_by("status"))


def export_cases_csv(user, purpose: str) -> str:
    """CSV of the cases the user may see; the export itself is audited with the purpose the user stated."""
    purpose = stated_purpose(purpose)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["reference", "title", "status", "owner_agency", "opened_on", "exploitation_types", "sensitivity"])
    rows = case_list(user)
    with transaction.atomic():
        count = 0
        for case in rows:
            writer.writerow([case.reference, case.title, case.status, case.owner_agency.code, case.opened_on,
                             ";".join(case.exploitation_types), case.sensitivity])
            count += 1
        audit.record(user, "export", object_type="core.case", purpose=purpose, details={"rows": count, "format": "csv"})
    return out.getvalue()


def export_persons_csv(user, purpose: str) -> str:
    """Pseudonyms only: identities never leave in bulk. Audited with the purpose the user stated."""
    purpose = stated_purpose(purpose)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["pseudonym", "owner_agency", "gender", "roles", "sensitivity"])
    roles_by_person: dict[int, set[str]] = {}
    for person_id, role in V.person_roles(user).values_list("person_id", "role"):
        roles_by_person.setdefault(person_id, set()).add(role)
    with transaction.atomic():
        count = 0
        for person in person_list(user):
            writer.writerow([person.pseudonym, person.owner_agency.code, person.gender,
                             ";".join(sorted(roles_by_person.get(person.pk, ()))), person.sensitivity])
            count += 1
        audit.record(user, "export", object_type="core.person", purpose=purpose,
                     details={"rows": count, "format": "csv"})
    return out.getvalue()
