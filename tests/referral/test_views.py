"""The TRM pages: library, coordinator edits, the person's plan with its timeline, consent, referral, directory."""

import pytest
from django.utils import timezone

from palermo.federation.models import OutboxMessage
from palermo.referral.models import PersonMeasure, SopMeasure, TransnationalReferral
from tests.referral.conftest import ready_to_refer

pytestmark = pytest.mark.django_db


def test_the_library_shows_labels_and_only_the_countrys_coordinator_may_edit(client, world):
    client.force_login(world["casemanager"])
    page = client.get("/referral/?country=IT").content.decode()
    assert "Long-term assistance and social inclusion" in page and "long_term_assistance</" not in page
    assert "Anti-trafficking project NGO (example)" in page and "/referral/measure/" not in page
    measure = SopMeasure.objects.get(code="ro-id-1")
    assert client.get(f"/referral/measure/{measure.pk}/").status_code == 403
    client.force_login(world["coordinator"])
    assert f"/referral/measure/{measure.pk}/" in client.get("/referral/?country=RO").content.decode()
    refused = client.post(f"/referral/measure/{measure.pk}/", {"area": "identification", "title": "", "what": "x",
                                                               "when": "x", "who": "x", "how": "x",
                                                               "institution": "ro-coord", "due_days": "1"})
    assert refused.status_code == 400 and "Nothing was saved" in refused.content.decode()
    saved = client.post(f"/referral/measure/{measure.pk}/", {"area": "identification", "title": "First referral",
                                                             "what": "x", "when": "x", "who": "x", "how": "x",
                                                             "institution": "ro-coord", "due_days": "1"})
    assert saved.status_code == 302
    assert SopMeasure.objects.get(pk=measure.pk).title == "First referral"


def test_the_person_page_plans_measures_and_refuses_an_unconsented_field(client, world):
    client.force_login(world["casemanager"])
    person = world["person"]
    measure = SopMeasure.objects.get(code="ro-fa-1")
    late_on = (timezone.localdate() - timezone.timedelta(days=2)).isoformat()
    assert client.post(f"/referral/person/{person.pk}/measure/", {"measure": measure.pk,
                                                                  "due_on": late_on}).status_code == 302
    page = client.get(f"/referral/person/{person.pk}/").content.decode()
    assert "adh-late" in page and "Late (not done, past due)" in page and "Shelter and reintegration NGO" in page
    chosen = PersonMeasure.objects.get()
    assert client.post(f"/referral/person/{person.pk}/done/", {"chosen": chosen.pk}).status_code == 302
    ready_to_refer(world, fields=("name",))
    refused = client.post(f"/referral/person/{person.pk}/send/", {
        "kind": "assistance_request", "to": "it.palermo.test|it-police", "packet_name": "Ana",
        "packet_medical": "Asthma"})
    assert refused.status_code == 400 and "did not consent to send" in refused.content.decode()
    assert not OutboxMessage.objects.exists()
    sent = client.post(f"/referral/person/{person.pk}/send/", {
        "kind": "assistance_request", "to": "it.palermo.test|it-police", "packet_name": "Ana"})
    assert sent.status_code == 302
    referral = TransnationalReferral.objects.get()
    detail = client.get(f"/referral/referrals/{referral.pk}/").content.decode()
    assert "Awaiting the receiving country" in detail and "Name" in detail and "Ana" not in detail
    read = client.post(f"/referral/referrals/{referral.pk}/", {"action": "read", "purpose": "check what we sent"})
    assert "Ana" in read.content.decode()


def test_the_directory_flags_stale_entries_and_the_report_is_for_the_coordinator(client, world):
    client.force_login(world["casemanager"])
    page = client.get("/referral/directory/").content.decode()
    assert "stale" in page and "Case coordinator C. Example" in page
    assert client.get("/referral/report/").status_code == 403
    client.force_login(world["coordinator"])
    assert "SOP adherence report" in client.get("/referral/report/").content.decode()


def test_a_person_the_user_may_not_see_is_not_found(client, world):
    from palermo.accounts import roles as R
    from palermo.accounts.models import Agency, User

    other = Agency.objects.create(code="other", name="Other", agency_type="NGO", country="RO")
    stranger = User.objects.create_user("x.cm", password="x" * 12, agency=other, roles=[R.CASE_MANAGER],
                                        clearance=R.RESTRICTED)
    client.force_login(stranger)
    assert client.get(f"/referral/person/{world['person'].pk}/").status_code == 404
    assert client.post(f"/referral/person/{world['person'].pk}/notice/", {"language": "ro",
                                                                         "explained": "x"}).status_code == 404


def test_the_demo_plan_shows_done_late_and_planned_measures(client, db):
    import random

    from palermo.demo import scenario
    from palermo.referral.demo import extend_demo

    world = scenario.Scenario(rng=random.Random(scenario.SEED))
    scenario._organisation_setup(world)
    scenario._network(world)
    extend_demo(world)
    client.force_login(world.users["ngo.casemanager"])
    page = client.get(f"/referral/person/{world.persons['ngo_woman0'].pk}/").content.decode()
    assert "1 done on time, 1 done late, 1 late" in page
    client.force_login(world.users["ro.coordinator"])
    assert client.get("/referral/report/").status_code == 200
