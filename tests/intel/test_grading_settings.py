"""Per-agency grading model: supervisors and administrators choose it; new reports follow it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palermo.audit.models import AuditEntry
from palermo.intel import selectors as S
from palermo.intel import services
from palermo.intel.models import IntelligenceReport

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("username", ["ro.supervisor", "ro.admin"])
def test_supervisor_or_administrator_switches_the_agencys_model(demo, username):
    user = demo.users[username]
    client = _client(user)
    page = client.get(reverse("intel:grading_settings"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="current-model">3x5x2<' in body and "EU 4x4 (Europol)" in body and "Not convertible" in body
    response = client.post(reverse("intel:grading_settings"), {"grading_model": "4x4"})
    assert response.status_code == 302
    assert S.grading_model_of(user.agency) == "4x4"
    entry = AuditEntry.objects.filter(action="set_grading_model").latest("seq")
    assert entry.actor_username == username and entry.details == {"grading_model": "4x4"}
    assert 'id="current-model">4x4<' in client.get(reverse("intel:grading_settings")).content.decode()


def test_new_reports_follow_the_model_and_old_ones_keep_theirs(demo):
    analyst = demo.users["ro.analyst"]
    debrief = IntelligenceReport.objects.get(title__startswith="Debrief")
    _client(demo.users["ro.supervisor"]).post(reverse("intel:grading_settings"), {"grading_model": "4x4"})
    report = services.create_report(analyst, {
        "title": "t", "kind": "information", "body": "b", "source_description": "s",
        "review_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "expires_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
        "grade": {"source_reliability": "B", "information_accuracy": "2", "handling_codes": ["H0"]}})
    assert report.grading_model == "4x4" and report.grade_code == "B2 H0"
    debrief.refresh_from_db()
    assert debrief.grading_model == "3x5x2" and debrief.grade_code == "2/B/C"
    form = _client(analyst).get(reverse("intel:report_new"))
    assert form.context["model"] == "4x4"


def test_unknown_model_is_a_field_error_and_changes_nothing(demo):
    response = _client(demo.users["ro.supervisor"]).post(reverse("intel:grading_settings"), {"grading_model": "5x5x5"})
    assert response.status_code == 400 and "grading_model" in response.context["errors"]
    assert S.grading_model_of(demo.users["ro.supervisor"].agency) == "3x5x2"
    assert not AuditEntry.objects.filter(action="set_grading_model", agency_code="ro-police-atu").exists()


@pytest.mark.parametrize("username", ["ro.analyst", "ro.investigator", "oversight.auditor"])
def test_other_roles_may_not_choose(demo, username):
    client = _client(demo.users[username])
    assert client.get(reverse("intel:grading_settings")).status_code == 403
    assert client.post(reverse("intel:grading_settings"), {"grading_model": "4x4"}).status_code == 403
    assert S.grading_model_of(demo.users["ro.analyst"].agency) == "3x5x2"


def test_menu_offers_the_page_only_to_those_who_may_use_it(demo):
    link = f'href="{reverse("intel:grading_settings")}"'
    assert link in _client(demo.users["ro.supervisor"]).get(reverse("intel:reports")).content.decode()
    assert link not in _client(demo.users["ro.analyst"]).get(reverse("intel:reports")).content.decode()


def test_one_agencys_choice_does_not_touch_another(demo):
    _client(demo.users["it.supervisor"]).post(reverse("intel:grading_settings"), {"grading_model": "3x5x2"})
    assert S.grading_model_of(demo.users["it.supervisor"].agency) == "3x5x2"
    assert S.grading_model_of(demo.users["ro.supervisor"].agency) == "3x5x2"
    _client(demo.users["ro.supervisor"]).post(reverse("intel:grading_settings"), {"grading_model": "4x4"})
    assert S.grading_model_of(demo.users["it.supervisor"].agency) == "3x5x2"
    assert S.grading_model_of(demo.users["ro.supervisor"].agency) == "4x4"
