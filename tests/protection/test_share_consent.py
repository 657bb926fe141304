"""Sharing a victim's record checks the person's consent first (issue: consent at every step)."""

from datetime import date

import pytest

from palermo.accounts import roles as R
from palermo.audit.models import AuditEntry
from palermo.core import services as core
from palermo.core.models import Share
from palermo.core.rules import FieldErrors
from palermo.protection import services
from tests.foundation.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def victim():
    world = build_world()
    person = world.records[("person", "own_normal")]
    core.add_person_role(world.users["a_supervisor"], person, "PresumedVictim", started_on=date(2026, 1, 1))
    return world, person


def test_share_abroad_without_consent_is_refused(victim):
    world, person = victim
    before = Share.objects.count()
    with pytest.raises(FieldErrors) as exc:
        core.share(world.users["a_investigator"], person, to_agency=world.agencies["B"], purpose="identification")
    assert "consent" in exc.value.errors
    assert Share.objects.count() == before


def test_consent_for_the_right_purpose_allows_the_share(victim):
    world, person = victim
    services.record_consent(world.users["a_casemanager"], person, {"purpose": "sharing_with_agency",
                                                                   "method": "written", "language": "ro"})
    with pytest.raises(FieldErrors):  # agency B is in another country: that needs consent to share abroad
        core.share(world.users["a_investigator"], person, to_agency=world.agencies["B"], purpose="identification")
    services.record_consent(world.users["a_casemanager"], person, {"purpose": "sharing_abroad",
                                                                   "method": "written", "language": "ro"})
    share = core.share(world.users["a_investigator"], person, to_agency=world.agencies["B"], purpose="identification")
    entry = AuditEntry.objects.filter(action="share").latest("seq")
    assert entry.details["share_id"] == share.pk and entry.details["consent_basis"] == "consent"


def test_withdrawn_consent_stops_later_shares(victim):
    world, person = victim
    record = services.record_consent(world.users["a_casemanager"], person, {"purpose": "sharing_abroad",
                                                                            "method": "oral", "language": "ro"})
    services.withdraw_consent(world.users["a_casemanager"], record)
    with pytest.raises(FieldErrors):
        core.share(world.users["a_investigator"], person, to_task_force=world.task_force, purpose="joint work")


def test_override_needs_an_authorised_role_and_reason(victim):
    world, person = victim
    with pytest.raises(FieldErrors):
        core.share(world.users["a_investigator"], person, to_agency=world.agencies["B"], purpose="urgent",
                   override_reason="because I want to")
    assert AuditEntry.objects.filter(action="consent_override_refused").exists()
    supervisor = world.users["a_supervisor"]
    assert supervisor.has_role(R.SUPERVISOR)
    core.share(supervisor, person, to_agency=world.agencies["B"], purpose="urgent",
               override_reason="Immediate danger to the person's life; the Milan police must locate her tonight.")
    assert AuditEntry.objects.filter(action="share").latest("seq").details["consent_basis"] == "override"


def test_compartments_and_non_victims_need_no_consent(victim):
    world, person = victim
    core.share(world.users["a_supervisor"], person, to_compartment=world.compartment, purpose="need to know")
    other = world.records[("person", "own_restricted")]
    core.share(world.users["a_supervisor"], other, to_agency=world.agencies["B"], purpose="suspect lookup")
