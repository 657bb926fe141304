"""The demo scenario with the protection extension: a directory, and worker0 ready for the NGO to screen."""

import pytest

from palermo.core import visibility as V
from palermo.protection import selectors, services
from palermo.protection.models import ServiceProvider

from .conftest import PRESUMED_LABOUR, demo_world_with_protection_only

pytestmark = pytest.mark.django_db


def test_demo_story_screen_refer_and_refused_deportation():
    world = demo_world_with_protection_only()
    ngo, coordinator = world.users["ngo.casemanager"], world.users["ro.coordinator"]
    worker = world.persons["worker0"]
    assert V.can_see(ngo, worker) and V.can_see(world.users["it.inspector"], worker)
    shelter = ServiceProvider.objects.get(kind="shelter")
    assert shelter.owner_agency.code == "ro-ngo-shelter" and shelter.accepting_referrals
    assert {p.kind for p in ServiceProvider.objects.all()} >= {"shelter", "medical", "legal_aid", "interpreter"}
    screening = services.screen_person(ngo, worker, {"exploitation": "labour", "age": 30,
                                                     "indicators": PRESUMED_LABOUR})
    assert screening.outcome == "presumed_victim"
    services.start_reflection_period(ngo, worker, {"rule_code": "COE", "starts_on": "2026-11-02"})
    services.record_consent(ngo, worker, {"purpose": "referral_to_services", "method": "oral", "language": "ro"})
    referral = services.refer(ngo, worker, shelter, {})
    services.change_referral_status(ngo, referral, {"status": "accepted"})
    services.attempt_measure(ngo, worker, {"measure": "removal"})
    report = selectors.coordinator_report(coordinator, "checking the demo's refused removal")
    assert report["counts"]["refused"] == 1
