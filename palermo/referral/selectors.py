"""Reads of the TRM: the library and directory (reference data), a person's TRM record seen through the
person, referrals through the visibility rule, and the packet's content only for a stated purpose,
audited before it is returned."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from palermo.accounts import roles as R
from palermo.audit import services as audit
from palermo.core import visibility as V
from palermo.core.rules import FieldErrors
from palermo.core.selectors import MIN_PURPOSE_LENGTH, NotVisible
from palermo.core.services import NotPermitted
from palermo.protection import services as protection
from palermo.protection.domain import consent
from palermo.referral import rules, services
from palermo.referral.models import (
    ContactEntry,
    FamilyTracing,
    IdentificationBody,
    IdentityNotice,
    Institution,
    OriginContact,
    PersonMeasure,
    SopMeasure,
    StepConsent,
    TransnationalReferral,
)


def countries() -> list[str]:
    return sorted(set(Institution.objects.values_list("country", flat=True)))


def library(country: str) -> dict:
    """The SOP library of one country, by area in the SOP order, with its identification body."""
    by_area = defaultdict(list)
    for measure in SopMeasure.objects.filter(country=country).select_related("institution"):
        by_area[measure.area].append(measure)
    return {"country": country, "areas": [(code, label, by_area.get(code, [])) for code, label in rules.SOP_AREAS.items()],
            "identification": IdentificationBody.objects.filter(country=country).select_related("institution").first(),
            "institutions": Institution.objects.filter(country=country)}


def directory(*, country: str = "", today=None) -> list[tuple[ContactEntry, bool]]:
    """Directory entries with a stale flag (not verified within the threshold in data/trm.json)."""
    today = today or timezone.localdate()
    entries = ContactEntry.objects.select_related("institution")
    if country:
        entries = entries.filter(country=country)
    return [(e, rules.is_stale(e.last_verified, today, rules.stale_after_days())) for e in entries]


def person_measures(user, person) -> list[tuple[PersonMeasure, str]]:
    if not V.can_see(user, person):
        raise NotVisible("no such person")
    today = timezone.localdate()
    return [(m, rules.adherence(m.due_on, m.done_on, today)) for m in
            PersonMeasure.objects.filter(person=person).select_related("measure", "institution", "owner_agency")]


def person_overview(user, person) -> dict:
    """Everything the person's TRM page shows (no identity: the packet is written by the case worker)."""
    measures = person_measures(user, person)
    today = timezone.localdate()
    abroad = consent.consent_allows(protection.consent_records(person), "sharing_abroad", timezone.now())
    timeline = _timeline(measures, today)
    return {
        "measures": measures, "timeline": timeline,
        "summary": rules.adherence_summary(((m.due_on, m.done_on) for m, _ in measures), today),
        "consents": StepConsent.objects.filter(person=person).select_related("recorded_by"),
        "abroad_consent": abroad,
        "notice": IdentityNotice.objects.filter(person=person).order_by("informed_at").first(),
        "risk": services.latest_risk(person),
        "origin_contacts": OriginContact.objects.filter(person=person),
        "tracings": FamilyTracing.objects.filter(person=person),
        "return_problems": services.return_problems(person),
        "age": protection.age_status_of(person),
        "referrals": visible_referrals(user).filter(person=person),
    }


def _timeline(measures, today) -> dict:
    """Positions (percent of the span) of each measure's due and done dates, for a simple bar chart."""
    if not measures:
        return {"rows": [], "start": today, "end": today}
    dates = [d for m, _ in measures for d in (m.recorded_at.date(), m.due_on, m.done_on) if d] + [today]
    start, end = min(dates), max(dates)
    span = max((end - start).days, 1)

    def at(day):
        return round(100 * (day - start).days / span, 1)

    rows = []
    for m, state in measures:
        chosen = m.recorded_at.date()
        finish = m.done_on or max(today, m.due_on)
        rows.append({"measure": m, "state": state, "left": at(chosen), "width": max(at(finish) - at(chosen), 1.0),
                     "due": at(m.due_on)})
    return {"rows": rows, "start": start, "end": end, "today": at(today)}


def visible_referrals(user, *, direction: str = "") -> QuerySet[TransnationalReferral]:
    found = V.visible(TransnationalReferral.objects.select_related("partner", "owner_agency"), user)
    if direction in (TransnationalReferral.OUTGOING, TransnationalReferral.INCOMING):
        found = found.filter(direction=direction)
    return found


def referral(user, pk) -> TransnationalReferral:
    """The referral without its packet (which fields, status, history)."""
    try:
        return visible_referrals(user).get(pk=int(pk))
    except (TransnationalReferral.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible("no such referral") from exc


def referral_packet(user, found: TransnationalReferral, purpose: str) -> dict[str, str]:
    """The packet's content for a stated purpose: a read of identity (name, date of birth) is audited as a
    reveal, the rest as a sensitive read — before it is returned."""
    if not user.has_role(*services.TRM_ROLES):
        raise NotPermitted("your role does not read referral packets")
    purpose = (purpose or "").strip()
    if len(purpose) < MIN_PURPOSE_LENGTH:
        raise FieldErrors({"purpose": [f"state the purpose in at least {MIN_PURPOSE_LENGTH} characters"]})
    identity = bool(rules.IDENTITY_FIELDS & set(found.fields_sent))
    with transaction.atomic():
        audit.record(user, "reveal_identity" if identity else "view_sensitive", found, purpose=purpose,
                     details={"fields": found.fields_sent})
        packet = TransnationalReferral.objects.get(pk=found.pk).packet
    return {rules.PACKET_FIELDS[f]: packet[f] for f in rules.PACKET_FIELDS if f in packet}


def adherence_report(user) -> dict:
    """SOP adherence across persons for the national coordinator: per area and per institution, counts only
    (no names, no pseudonyms — the coordinator oversees the mechanism, not the persons)."""
    if not user.has_role(R.NATIONAL_COORDINATOR) or not user.agency_id:
        raise NotPermitted("the adherence report is for the national coordinator")
    country = user.agency.country
    today = timezone.localdate()
    chosen = list(PersonMeasure.objects.filter(owner_agency__country=country).select_related("measure", "institution"))
    with transaction.atomic():
        audit.record(user, "view_report", object_type="referral.personmeasure",
                     purpose="national coordinator's SOP adherence report",
                     details={"country": country, "rows": len(chosen)})
    by_area, by_institution = defaultdict(list), defaultdict(list)
    for m in chosen:
        by_area[m.measure.area].append((m.due_on, m.done_on))
        by_institution[m.institution.name].append((m.due_on, m.done_on))
    return {"country": country, "persons": len({m.person_id for m in chosen}),
            "overall": rules.adherence_summary(((m.due_on, m.done_on) for m in chosen), today),
            "areas": [(label, rules.adherence_summary(by_area[code], today)) for code, label in rules.SOP_AREAS.items()
                      if by_area.get(code)],
            "institutions": sorted((name, rules.adherence_summary(rows, today)) for name, rows in by_institution.items())}
