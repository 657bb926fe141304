"""A Romanian instance (an NGO, the police, the national coordinator) with an Italian partner instance
whose messages a test partner seals; one woman supported by the NGO."""

import pytest

from palermo.accounts import roles as R
from palermo.accounts.models import Agency, User
from palermo.core import services as core_services
from palermo.federation import services as federation
from palermo.protection import services as protection
from tests.federation.partners import OtherInstance

TRM_TYPES = ["trm.assistance_request", "trm.reintegration_request", "trm.answer"]


@pytest.fixture
def world(db):
    ngo = Agency.objects.create(code="ro-ngo", name="Shelter NGO", agency_type="NGO", country="RO",
                                contact_point="shelter desk, +40 232 000 200")
    coord = Agency.objects.create(code="ro-coord", name="Coordinator", agency_type="NationalCoordinator",
                                  country="RO")
    it_coord = Agency.objects.create(code="it-coord", name="IT coordinator", agency_type="NationalCoordinator",
                                     country="IT")
    root = User.objects.create_superuser("platform.admin", password="x" * 12, roles=[R.ADMINISTRATOR])
    users = {
        "casemanager": User.objects.create_user("ngo.cm", password="x" * 12, agency=ngo, roles=[R.CASE_MANAGER],
                                                clearance=R.RESTRICTED),
        "supervisor": User.objects.create_user("ngo.sup", password="x" * 12, agency=ngo, roles=[R.SUPERVISOR],
                                               clearance=R.RESTRICTED),
        "hotline": User.objects.create_user("ngo.hot", password="x" * 12, agency=ngo, roles=[R.HOTLINE_OPERATOR]),
        "coordinator": User.objects.create_user("ro.coord", password="x" * 12, agency=coord,
                                                roles=[R.NATIONAL_COORDINATOR], clearance=R.RESTRICTED),
        "coordinator_it": User.objects.create_user("it.coord", password="x" * 12, agency=it_coord,
                                                   roles=[R.NATIONAL_COORDINATOR]),
    }
    federation.init_instance(root, instance_id="ro.palermo.test", name="Palermo Romania",
                             url="https://ro.palermo.test/", country="RO", contact_point="TRM contact point")
    italy = OtherInstance()
    partner = federation.add_partner(root, italy.card(), trust_level="referral", message_types=TRM_TYPES,
                                     confirmed_fingerprint=italy.fingerprint)
    person = core_services.create_person(users["casemanager"], {
        "given_name": "Ana", "family_name": "Example", "sensitivity": R.RESTRICTED, "date_of_birth": "1994-02-03"})
    return {"root": root, "ngo": ngo, "italy": italy, "partner": partner, "person": person, **users}


def ready_to_refer(world, fields=("name", "medical", "assistance_needs"), step="assistance_request"):
    """The person was told about identity protection, agreed to sharing abroad and to these fields."""
    from palermo.referral import services

    cm, person = world["casemanager"], world["person"]
    services.record_identity_notice(cm, person, {"language": "ro", "explained": "What the partner may and may "
                                                 "not keep confidential; no guarantee against the recruiter."})
    protection.record_consent(cm, person, {"purpose": "sharing_abroad", "method": "written", "language": "ro"})
    services.record_step_consent(cm, person, {"step": step, "fields": list(fields), "method": "written",
                                              "language": "ro"})
