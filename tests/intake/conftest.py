"""A small intake world: Romanian police, an NGO hotline, a national coordinator, an Italian labour
inspectorate, a task force, routing rules and one known phone on a case."""

from dataclasses import dataclass, field
from datetime import date

import pytest

from palermo.accounts import roles as R
from palermo.accounts.models import Agency, TaskForce, User
from palermo.core import services as core
from palermo.intake import services

KNOWN_PHONE = "+40 722 555 123"


@dataclass
class IntakeWorld:
    agencies: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    case: object = None
    suspect: object = None
    task_force: object = None


@pytest.fixture
def world(db):
    w = IntakeWorld()
    for code, kind, country, region in (("ro-police", "LawEnforcement", "RO", "Iasi"),
                                        ("ro-ngo", "NGO", "RO", "Iasi"),
                                        ("ro-coord", "NationalCoordinator", "RO", ""),
                                        ("it-labour", "LabourInspectorate", "IT", "Apulia"),
                                        ("it-police", "LawEnforcement", "IT", "Lombardy")):
        w.agencies[code] = Agency.objects.create(code=code, name=code.replace("-", " ").title(),
                                                 agency_type=kind, country=country, region=region)
    w.task_force = TaskForce.objects.create(code="tf", name="Task force RO-IT")
    w.task_force.agencies.set([w.agencies["ro-police"], w.agencies["it-police"]])
    for username, agency, roles, clearance in (
        ("police_investigator", "ro-police", [R.INVESTIGATOR], R.RESTRICTED),
        ("police_supervisor", "ro-police", [R.SUPERVISOR], R.RESTRICTED),
        ("ngo_operator", "ro-ngo", [R.HOTLINE_OPERATOR], R.NORMAL),
        ("coordinator", "ro-coord", [R.NATIONAL_COORDINATOR], R.RESTRICTED),
        ("labour_inspector", "it-labour", [R.INVESTIGATOR], R.RESTRICTED),
        ("it_investigator", "it-police", [R.INVESTIGATOR], R.RESTRICTED),
        ("it_supervisor", "it-police", [R.SUPERVISOR], R.RESTRICTED),
        ("police_admin", "ro-police", [R.ADMINISTRATOR], R.NORMAL),
    ):
        w.users[username] = User.objects.create_user(username, password="x" * 12, agency=w.agencies[agency],
                                                     roles=roles, clearance=clearance)
    investigator = w.users["police_investigator"]
    w.case = core.create_case(investigator, {"reference": "RO-T-1", "title": "Travel agency network",
                                             "exploitation_types": ["SexualExploitation"]})
    w.suspect = core.create_person(investigator, {"given_name": "Test", "family_name": "Suspect",
                                                  "sensitivity": R.RESTRICTED})
    core.add_person_role(investigator, w.suspect, "Suspect", case=w.case, started_on=date(2026, 1, 1))
    core.add_selector(investigator, w.suspect, "phone", KNOWN_PHONE, source="seized phone contacts")
    supervisor = w.users["police_supervisor"]
    services.create_routing_rule(supervisor, {"country": "RO", "exploitation_type": "SexualExploitation",
                                              "target_agency": w.agencies["ro-police"]})
    supervisor = w.users["it_supervisor"]
    services.create_routing_rule(supervisor, {"country": "IT", "region": "Apulia", "exploitation_type": "ForcedLabour",
                                              "target_agency": w.agencies["it-labour"]})
    services.create_routing_rule(supervisor, {"country": "IT", "region": "Lombardy",
                                              "target_task_force": w.task_force})
    return w
