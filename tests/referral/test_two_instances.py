"""A request for assistance and its confirmation between two real instances: Italy's and Romania's, each
with its own database and server process on a loopback port, driven through their own services."""

import pytest

from tests.federation.instances import RemoteInstance

pytestmark = pytest.mark.slow

TYPES = "trm.assistance_request,trm.reintegration_request,trm.answer"
ITALY_SETUP = """
from palermo.accounts import roles as R
from palermo.accounts.models import Agency, User
from palermo.core import services as core
a = Agency.objects.create(code="it-ngo", name="Progetto Example (NGO)", agency_type="NGO", country="IT",
                          contact_point="+39 02 0000 600")
u = User.objects.create_user("it.cm", password="x" * 12, agency=a, roles=[R.CASE_MANAGER], clearance=R.RESTRICTED)
core.create_person(u, {"given_name": "Maria", "family_name": "Example", "sensitivity": R.RESTRICTED})
"""
ROMANIA_SETUP = """
from palermo.accounts import roles as R
from palermo.accounts.models import Agency, User
a = Agency.objects.create(code="ro-ngo", name="Casa Example (NGO)", agency_type="NGO", country="RO",
                          contact_point="+40 232 000 200")
User.objects.create_user("ro.cm", password="x" * 12, agency=a, roles=[R.CASE_MANAGER], clearance=R.RESTRICTED)
"""
ITALY_REFERS = """
from palermo.accounts.models import User
from palermo.core.models import Person
from palermo.federation import outbox
from palermo.protection import services as protection
from palermo.referral import services
cm, person = User.objects.get(username="it.cm"), Person.objects.get()
services.record_identity_notice(cm, person, {"language": "ro", "explained": "What the Romanian partner can and "
                                             "cannot keep confidential."})
protection.record_consent(cm, person, {"purpose": "sharing_abroad", "method": "written", "language": "ro"})
services.record_step_consent(cm, person, {"step": "assistance_request", "fields": ["name", "assistance_needs"],
                                          "method": "written", "language": "ro"})
services.send_referral(cm, person, {"kind": "assistance_request", "partner": "ro.palermo.test",
                                    "partner_agency": "ro-ngo",
                                    "packet": {"name": "Maria Example", "assistance_needs": "Shelter in Iasi"}})
print(outbox.deliver_due())
"""
ROMANIA_CONFIRMS = """
from palermo.accounts.models import User
from palermo.federation import outbox
from palermo.referral import services
from palermo.referral.models import TransnationalReferral
services.decide_referral(User.objects.get(username="ro.cm"), TransnationalReferral.objects.get(), "confirmed")
print(outbox.deliver_due())
"""


@pytest.fixture
def two_countries(tmp_path):
    (tmp_path / "it").mkdir()
    (tmp_path / "ro").mkdir()
    italy = RemoteInstance(tmp_path / "it", "it.palermo.test", "IT", port=8121).set_up()
    romania = RemoteInstance(tmp_path / "ro", "ro.palermo.test", "RO", port=8122).set_up()
    italy.manage("shell", "-c", ITALY_SETUP)
    romania.manage("shell", "-c", ROMANIA_SETUP)
    italy.add_partner(romania.card(), TYPES)
    romania.add_partner(italy.card(), TYPES)
    italy.start()
    romania.start()
    yield italy, romania
    italy.stop()
    romania.stop()


def test_a_request_for_assistance_crosses_and_romania_confirms(two_countries):
    italy, romania = two_countries
    assert "'delivered': 1" in italy.manage("shell", "-c", ITALY_REFERS)
    received = romania.query("SELECT kind, direction, status, fields_sent, packet_text, owner_agency_id "
                             "FROM referral_transnationalreferral")
    assert len(received) == 1
    kind, direction, status, fields, packet_text, _ = received[0]
    assert (kind, direction, status) == ("assistance_request", "incoming", "sent")
    assert fields == '["name", "assistance_needs"]' and "Maria" not in packet_text  # encrypted at rest

    assert "'delivered': 1" in romania.manage("shell", "-c", ROMANIA_CONFIRMS)
    assert italy.query("SELECT status, direction FROM referral_transnationalreferral") == [("confirmed", "outgoing")]
    assert italy.query("SELECT COUNT(*) FROM audit_auditentry WHERE action = 'trm_referral_answered'")[0][0] == 1
    assert romania.query("SELECT COUNT(*) FROM audit_auditentry WHERE action = 'trm_referral_received'")[0][0] == 1
