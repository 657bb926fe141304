import pytest

from palermo.accounts import roles as R
from palermo.accounts.models import Agency, User
from palermo.federation import services as federation
from tests.federation.partners import OtherInstance

COOPERATION_TYPES = ["cooperation.request", "cooperation.update", "cooperation.reminder"]


@pytest.fixture
def world(db):
    police = Agency.objects.create(code="ro-police", name="Romanian Police ATU", agency_type="LawEnforcement",
                                   country="RO", contact_point="ATU duty desk, +40 21 000 0100")
    ngo = Agency.objects.create(code="ro-ngo", name="Shelter NGO", agency_type="NGO", country="RO",
                                contact_point="shelter desk")
    root = User.objects.create_superuser("platform.admin", password="x" * 12, roles=[R.ADMINISTRATOR])
    users = {
        "investigator": User.objects.create_user("ro.inv", password="x" * 12, agency=police, roles=[R.INVESTIGATOR],
                                                 clearance=R.RESTRICTED),
        "prosecutor": User.objects.create_user("ro.pros", password="x" * 12, agency=police, roles=[R.PROSECUTOR]),
        "casemanager": User.objects.create_user("ngo.cm", password="x" * 12, agency=ngo, roles=[R.CASE_MANAGER],
                                                 clearance=R.RESTRICTED),
        "hotline": User.objects.create_user("ngo.hot", password="x" * 12, agency=ngo, roles=[R.HOTLINE_OPERATOR]),
    }
    federation.init_instance(root, instance_id="ro.palermo.test", name="Palermo Romania",
                             url="https://ro.palermo.test/", country="RO", contact_point="ATU duty desk")
    italy = OtherInstance()
    partner = federation.add_partner(root, italy.card(), trust_level="operational", message_types=COOPERATION_TYPES,
                                     confirmed_fingerprint=italy.fingerprint)
    return {"root": root, "police": police, "ngo": ngo, "italy": italy, "partner": partner, **users}
