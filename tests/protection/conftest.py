"""A small protection world: an NGO and a police unit in Romania, the Romanian national coordinator,
an Italian inspectorate; one potential victim recorded by the NGO, a shelter run by the NGO."""

import random
from dataclasses import dataclass, field

import pytest

from palermo.accounts import roles as R
from palermo.accounts.models import Agency, User
from palermo.core import services as core_services
from palermo.demo import scenario
from palermo.protection import services
from palermo.protection.demo import extend_demo

PRESUMED_LABOUR = ["ADL-LAB-DR-S1", "ADL-LAB-DR-M1", "ADL-LAB-EX-S1", "ADL-LAB-EX-M1", "ADL-LAB-CD-S1",
                   "ADL-LAB-CD-S2"]
REASON = "Court order 2026/88 after an individual risk assessment of return"


@dataclass
class ProtectionWorld:
    agencies: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    person: object = None
    shelter: object = None


@pytest.fixture
def pw(db) -> ProtectionWorld:
    w = ProtectionWorld()
    for code, kind, country in (("ngo", "NGO", "RO"), ("police", "LawEnforcement", "RO"),
                                ("coord", "NationalCoordinator", "RO"), ("inspect", "LabourInspectorate", "IT"),
                                ("coord-it", "NationalCoordinator", "IT")):
        w.agencies[code] = Agency.objects.create(code=code, name=f"Agency {code}", agency_type=kind, country=country)
    for name, agency, roles in (("casemanager", "ngo", [R.CASE_MANAGER]), ("hotline", "ngo", [R.HOTLINE_OPERATOR]),
                                ("investigator", "police", [R.INVESTIGATOR]),
                                ("supervisor", "police", [R.SUPERVISOR]),
                                ("coordinator", "coord", [R.NATIONAL_COORDINATOR]),
                                ("coordinator_it", "coord-it", [R.NATIONAL_COORDINATOR]),
                                ("inspector", "inspect", [R.INVESTIGATOR])):
        w.users[name] = User.objects.create_user(name, password="not-used-in-tests-123", agency=w.agencies[agency],
                                                 roles=roles, clearance=R.RESTRICTED)
    w.person = core_services.create_person(w.users["casemanager"], {
        "given_name": "Testa", "family_name": "Example", "sensitivity": R.RESTRICTED, "date_of_birth": "1994-02-03"})
    w.shelter = services.add_provider(w.users["casemanager"], {
        "name": "Safe House Test", "kind": "shelter", "region": "Iasi", "languages": "ro, bg", "capacity": "12",
        "contact": "coordinator phone", "address": "Strada Ascunsa 7, Iasi"})
    return w


def demo_world_with_protection_only() -> scenario.Scenario:
    """The core demo scenario plus this app's extension (other apps' extensions are tested by their owners)."""
    world = scenario.Scenario(rng=random.Random(scenario.SEED))
    scenario._organisation_setup(world)
    scenario._network(world)
    extend_demo(world)
    return world


def share_person_with(w: ProtectionWorld, agency: str):
    """The person agrees first: sharing a protected person's record checks consent."""
    for purpose in ("sharing_with_agency", "sharing_abroad"):
        services.record_consent(w.users["casemanager"], w.person, {"purpose": purpose, "method": "written",
                                                                     "language": "ro"})
    core_services.share(w.users["casemanager"], w.person, to_agency=w.agencies[agency],
                        purpose="joint protection of the person")
