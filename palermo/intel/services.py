"""Writes of the intel app. Each validates first (FieldErrors, NotPermitted), then writes and records
the audit entry inside one transaction."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from palermo.audit import services as audit
from palermo.core.models import Selector
from palermo.core.rules import FieldErrors
from palermo.core.selectors import NotVisible
from palermo.core.services import require_role
from palermo.intel import selectors as S
from palermo.intel.models import DeconflictionAlert, ResolutionLink

# --- deconfliction ---------------------------------------------------------------------------------


def _alert(agency, other_agency, basis: str, match_key: str, **own) -> bool:
    """One alert per receiving agency, other agency and match; returns True when it is new."""
    alert, created = DeconflictionAlert.objects.get_or_create(
        agency=agency, other_agency=other_agency, basis=basis, match_key=match_key,
        defaults={"other_contact_point": other_agency.contact_point or f"{other_agency.name} (no contact point recorded)",
                  **own},
    )
    if created:
        audit.record(None, "deconfliction_alert", alert,
                     details={"basis": basis, "agency": agency.code, "other_agency": other_agency.code})
    return created


def scan_deconfliction() -> int:
    """Alert both owners whenever two agencies hold the same selector (same blind index) or the same
    person (an accepted resolution link across agencies). Idempotent: returns the number of new alerts."""
    created = 0
    with transaction.atomic():
        shared = (Selector.objects.values("value_index").annotate(owners=Count("owner_agency", distinct=True))
                  .filter(owners__gt=1).values_list("value_index", flat=True))
        holders: dict[str, list[Selector]] = defaultdict(list)
        for selector in Selector.objects.filter(value_index__in=list(shared)).select_related("owner_agency"):
            holders[selector.value_index].append(selector)
        for value_index, selectors in sorted(holders.items()):
            for own in selectors:
                for other in selectors:
                    if other.owner_agency_id != own.owner_agency_id:
                        created += _alert(own.owner_agency, other.owner_agency, DeconflictionAlert.SELECTOR,
                                          value_index, own_selector=own)
        links = ResolutionLink.objects.filter(status=ResolutionLink.ACCEPTED).select_related(
            "left__owner_agency", "right__owner_agency")
        for link in links:
            if link.left.owner_agency_id == link.right.owner_agency_id:
                continue
            key = f"resolution-link:{link.pk}"
            created += _alert(link.left.owner_agency, link.right.owner_agency, DeconflictionAlert.ENTITY, key,
                              own_person=link.left)
            created += _alert(link.right.owner_agency, link.left.owner_agency, DeconflictionAlert.ENTITY, key,
                              own_person=link.right)
        audit.record(None, "deconfliction_scan", object_type="intel.deconflictionalert",
                     details={"new_alerts": created})
    return created


def acknowledge_alert(actor, pk) -> DeconflictionAlert:
    require_role(actor, S.DECONFLICTION_ROLES, "acknowledge deconfliction alerts")
    try:
        alert = S.deconfliction_alerts(actor).get(pk=int(pk))
    except (DeconflictionAlert.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible("no such alert") from exc
    if alert.acknowledged_at is not None:
        raise FieldErrors({"alert": ["already acknowledged"]})
    with transaction.atomic():
        alert.acknowledged_at, alert.acknowledged_by = timezone.now(), actor
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit.record(actor, "acknowledge_alert", alert)
    return alert
