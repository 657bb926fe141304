"""Recording a selector another agency already holds, on records tied to a case, raises deconfliction alerts
at once."""

from datetime import date

import pytest

from palermo.core import services
from palermo.intel.models import DeconflictionAlert
from tests.foundation.world import build_world

pytestmark = pytest.mark.django_db


def test_same_phone_in_two_agencies_alerts_both_owners(django_capture_on_commit_callbacks):
    world = build_world()
    world.agencies["C"].contact_point = "C duty desk"
    world.agencies["C"].save()
    a_person = world.records[("person", "own_normal")]
    c_person = world.records[("person", "owned_by_C")]
    for username, person in (("a_investigator", a_person), ("c_investigator", c_person)):
        user = world.users[username]
        case = services.create_case(user, {"reference": f"DECONFLICT-{username}", "title": "Phone overlap"})
        services.add_person_role(user, person, "Suspect", started_on=date(2026, 1, 5), case=case)
    with django_capture_on_commit_callbacks(execute=True):
        services.add_selector(world.users["a_investigator"], a_person, "phone", "+40 733 000 111", source="x")
    assert not DeconflictionAlert.objects.filter(match_key__isnull=False, other_agency=world.agencies["C"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_selector(world.users["c_investigator"], c_person, "phone", "0733 000 111", region="RO",
                              source="y")
    alerts = {(a.agency.code, a.other_agency.code, a.other_contact_point)
              for a in DeconflictionAlert.objects.filter(own_selector__isnull=False).select_related("agency", "other_agency")}
    assert ("agency-a", "agency-c", "C duty desk") in alerts
    assert ("agency-c", "agency-a", "Agency A (no contact point recorded)") in alerts
