"""Consent before a victim's record is shared: registered as a check on every core share."""

from __future__ import annotations

from django.utils import timezone

from palermo.audit import services as audit
from palermo.core.models import Person, PersonRole
from palermo.core.rules import FieldErrors
from palermo.protection.domain import consent
from palermo.protection.models import ConsentRecord


def _needs_consent(person: Person) -> bool:
    """Presumed or identified victims, and anyone with protection records, decide who sees their record."""
    return (PersonRole.objects.filter(person=person, role__in=("PresumedVictim", "IdentifiedVictim")).exists()
            or ConsentRecord.objects.filter(person=person).exists())


def check_consent_to_share(actor, obj, *, recipient_countries: list[str], override_reason: str = "") -> dict | None:
    if not isinstance(obj, Person) or not recipient_countries or not _needs_consent(obj):
        return None
    from palermo.protection.services import consent_records, role_for

    abroad = any(country != obj.owner_agency.country for country in recipient_countries)
    purpose = "sharing_abroad" if abroad else "sharing_with_agency"
    override_reason = (override_reason or "").strip() or None
    decision = consent.consent_allows(consent_records(obj), purpose, timezone.now(),
                                      actor_role=role_for(actor, "consent_override") if override_reason else None,
                                      override_reason=override_reason)
    if not decision.allowed:
        if decision.audit_required:
            audit.record(actor, "consent_override_refused", obj, purpose=consent.PURPOSES[purpose],
                         details={"explanation": decision.explanation})
        raise FieldErrors({"consent": [decision.explanation]})
    return {"consent_purpose": purpose, "consent_basis": decision.basis}
