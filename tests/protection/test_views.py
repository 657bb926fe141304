"""The protection pages over HTTP: screening with its explanation, consent, referral, the guard, the
coordinator's report, the export, and bad input answered with field errors (never a 500)."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palermo.audit.models import AuditEntry
from palermo.protection import services
from palermo.protection.models import ConsentRecord, MeasureAttempt, Referral, Screening

from .conftest import PRESUMED_LABOUR

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_person_page_shows_checklist_by_dimension_and_never_the_name(pw):
    response = _client(pw.users["casemanager"]).get(reverse("protection:person", args=[pw.person.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Deceptive recruitment (including transfer and transport)" in html
    assert 'value="ADL-LAB-DR-S1"' in html
    assert pw.person.pseudonym in html and "Testa" not in html


def test_sexual_list_unavailable_is_shown_not_crashed(pw):
    client = _client(pw.users["casemanager"])
    page = client.get(reverse("protection:person", args=[pw.person.pk]) + "?exploitation=sexual")
    assert page.status_code == 200 and "is not in the catalogue" in page.content.decode()
    posted = client.post(reverse("protection:act", args=[pw.person.pk, "screen"]),
                         {"exploitation": "sexual", "age": "25"})
    assert posted.status_code == 400 and "is not in the catalogue" in posted.content.decode()
    assert not Screening.objects.exists()


def test_screen_then_refer_then_deportation_refused_and_reported(pw):
    client = _client(pw.users["casemanager"])
    act = lambda action, data: client.post(reverse("protection:act", args=[pw.person.pk, action]), data)  # noqa: E731
    assert act("screen", {"exploitation": "labour", "age": "30", "indicators": PRESUMED_LABOUR}).status_code == 302
    page = client.get(reverse("protection:person", args=[pw.person.pk])).content.decode()
    assert "Presumed victim" in page and "Coercion at destination: positive" in page
    refused = act("refer", {"provider": pw.shelter.pk})
    assert refused.status_code == 400 and "No consent to referral to services" in refused.content.decode()
    act("consent", {"purpose": "referral_to_services", "method": "oral", "language": "ro", "granted": "true"})
    assert ConsentRecord.objects.count() == 1
    assert act("refer", {"provider": pw.shelter.pk}).status_code == 302
    referral = Referral.objects.get()
    client.post(reverse("protection:referral_status", args=[referral.pk]), {"status": "accepted"})
    referral.refresh_from_db()
    assert referral.status == "accepted"
    response = act("measure", {"measure": "removal"})
    follow = client.get(response["Location"]).content.decode()
    assert "Refused: removal or deportation may not be recorded while the person is a presumed victim" in follow
    report = _client(pw.users["coordinator"]).post(reverse("protection:coordinator_report"),
                                                   {"purpose": "monthly review of the guard"}).content.decode()
    assert "removal or deportation" in report and 'id="count-refused">1<' in report
    assert pw.person.pseudonym not in report
    assert MeasureAttempt.objects.get().reported_to_coordinator


def test_bad_input_gives_field_errors_and_changes_nothing(pw):
    client = _client(pw.users["casemanager"])
    url = reverse("protection:act", args=[pw.person.pk, "consent"])
    response = client.post(url, {"purpose": "gossip", "method": "telepathy", "language": ""})
    html = response.content.decode()
    assert response.status_code == 400 and "Nothing was saved" in html and "purpose" in html and "language" in html
    assert not ConsentRecord.objects.exists()
    assert client.post(reverse("protection:act", args=[pw.person.pk, "nonsense"])).status_code == 404
    assert client.post(reverse("protection:act", args=[pw.person.pk, "reflection"]),
                       {"rule_code": "XX", "starts_on": "soon"}).status_code == 400


def test_invisible_person_is_404_and_hotline_may_not_act(pw):
    assert _client(pw.users["inspector"]).get(reverse("protection:person", args=[pw.person.pk])).status_code == 404
    hotline = _client(pw.users["hotline"])
    response = hotline.post(reverse("protection:act", args=[pw.person.pk, "screen"]),
                            {"exploitation": "labour", "age": "30"})
    assert response.status_code == 403


def test_index_lists_pseudonyms_only(pw):
    _client(pw.users["casemanager"]).post(reverse("protection:act", args=[pw.person.pk, "screen"]),
                                          {"exploitation": "labour", "age": "30"})
    html = _client(pw.users["casemanager"]).get(reverse("protection:index")).content.decode()
    assert pw.person.pseudonym in html and "Testa" not in html and "Example" not in html


def test_export_is_audited_and_downloadable(pw):
    client = _client(pw.users["casemanager"])
    url = reverse("protection:export", args=[pw.person.pk])
    asked = client.get(url)  # a plain GET only asks for the purpose: nothing is read, nothing audited
    assert asked.status_code == 200 and "Testa" not in asked.content.decode() and 'name="purpose"' in asked.content.decode()
    refused = client.post(url, {"purpose": "", "format": "html"})
    assert refused.status_code == 400 and "Testa" not in refused.content.decode()
    assert not AuditEntry.objects.filter(action="export").exists()
    html = client.post(url, {"purpose": "the person asked at the shelter on 3 March", "format": "html"})
    assert html.status_code == 200 and "Testa" in html.content.decode()
    data = json.loads(client.post(url, {"purpose": "a copy for her lawyer, at her request", "format": "json"}).content)
    assert data["pseudonym"] == pw.person.pseudonym
    assert list(AuditEntry.objects.filter(action="export", object_id=str(pw.person.pk)).values_list("purpose", flat=True)
                .order_by("seq")) == ["the person asked at the shelter on 3 March", "a copy for her lawyer, at her request"]
    coordinator = _client(pw.users["coordinator"])
    assert "count-refused" not in coordinator.get(reverse("protection:coordinator_report")).content.decode()
    assert coordinator.post(reverse("protection:coordinator_report"), {"purpose": ""}).status_code == 400
    assert coordinator.post(reverse("protection:coordinator_report"),
                            {"purpose": "quarterly review of the guard"}).status_code == 200
    assert AuditEntry.objects.get(action="view_report").purpose == "quarterly review of the guard"
    assert client.get(reverse("protection:coordinator_report")).status_code == 403


def test_directory_hides_shelter_address_from_other_agencies(pw):
    other = _client(pw.users["inspector"]).get(reverse("protection:directory")).content.decode()
    assert "Safe House Test" in other and "Strada Ascunsa" not in other
    own = _client(pw.users["casemanager"])
    assert "Strada Ascunsa" not in own.get(reverse("protection:directory")).content.decode()
    revealed = own.post(reverse("protection:directory"), {"reveal": pw.shelter.pk, "purpose": "taking her there tonight"})
    assert "Strada Ascunsa 7" in revealed.content.decode()
    assert AuditEntry.objects.filter(action="view_sensitive").count() == 1
    denied = _client(pw.users["inspector"]).post(reverse("protection:directory"),
                                                 {"reveal": pw.shelter.pk, "purpose": "taking her there tonight"})
    assert denied.status_code == 403


def test_palermo_findings_show_the_test_with_facts_and_sources(pw):
    client = _client(pw.users["casemanager"])
    act = lambda data: client.post(reverse("protection:act", args=[pw.person.pk, "finding"]), data)  # noqa: E731
    assert act({"element": "act", "code": "recruitment", "facts": "Advert for farm work", "sources": "interview"}
               ).status_code == 302
    page = client.get(reverse("protection:person", args=[pw.person.pk])).content.decode()
    assert "Palermo test not met" in page and "Advert for farm work" in page
    act({"element": "means", "code": "deception", "facts": "Wages promised were never paid",
         "sources": "interview; payslips"})
    act({"element": "purpose", "code": "forced_labour", "facts": "14-hour days under threat", "sources": "inspection"})
    page = client.get(reverse("protection:person", args=[pw.person.pk])).content.decode()
    assert "Palermo test met" in page
    missing = act({"element": "means", "code": "deception", "facts": "", "sources": ""})
    assert missing.status_code == 400 and "facts" in missing.content.decode()


def test_index_reminds_of_periods_ending_soon(pw):
    started = timezone.localdate() - timedelta(days=25)
    services.start_reflection_period(pw.users["casemanager"], pw.person,
                                     {"rule_code": "COE", "starts_on": started.isoformat()})
    html = _client(pw.users["casemanager"]).get(reverse("protection:index")).content.decode()
    assert "Reflection periods ending soon" in html and pw.person.pseudonym in html
    assert "Reflection periods ending soon" not in _client(pw.users["inspector"]).get(
        reverse("protection:index")).content.decode()
