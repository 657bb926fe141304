"""Deconfliction is not an oracle: only selectors tied to a case raise alerts, additions per user are limited
over a rolling window (beyond it refused with a clear message, and the supervisor sees it), and supervisors
have a report of who raised which hits."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.models import ApiToken
from palermo.audit.models import AuditEntry
from palermo.core import services as core_services
from palermo.core.models import SelectorLink
from palermo.core.rules import FieldErrors
from palermo.intel import selectors as S
from palermo.intel import services
from palermo.intel.deconfliction import Holding, RateLimit, selector_hits
from palermo.intel.models import DeconflictionAlert, DeconflictionRefusal

pytestmark = pytest.mark.django_db

SMALL_LIMIT = {"selector_additions": 3, "window_minutes": 60}


def _value_of(person, kind="phone"):
    return person.selector_links.get(selector__kind=kind).selector.value


def _alerts_about(value_index):
    return DeconflictionAlert.objects.filter(match_key=value_index)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_selector_on_a_person_in_no_case_raises_no_alert_to_anyone(demo, django_capture_on_commit_callbacks):
    prober = demo.users["it.investigator"]
    leader_phone = _value_of(demo.persons["leader"])
    stranger = core_services.create_person(prober, {"given_name": "Probe", "family_name": "Person"})
    with django_capture_on_commit_callbacks(execute=True):
        link = core_services.add_selector(prober, stranger, "phone", leader_phone, source="tip-off")
    assert services.scan_deconfliction() == 0
    assert not _alerts_about(link.selector.value_index).exists()
    # Once the person is in a case, the overlap is worth a call: both owners are told.
    core_services.add_person_role(prober, stranger, "Suspect", started_on=date(2026, 5, 1), case=demo.cases["it_bar"])
    assert services.scan_deconfliction() == 2
    assert {(a.agency.code, a.other_agency.code) for a in _alerts_about(link.selector.value_index)} == {
        ("it-police-milan", "ro-police-atu"), ("ro-police-atu", "it-police-milan")}


def test_each_hit_keeps_the_user_whose_addition_raised_it(demo, django_capture_on_commit_callbacks):
    inspector = demo.users["it.inspector"]
    with django_capture_on_commit_callbacks(execute=True):
        link = core_services.add_selector(inspector, demo.persons["gangmaster"], "phone",
                                          _value_of(demo.persons["leader"]), source="labour inspection interview")
    alerts = _alerts_about(link.selector.value_index)
    assert alerts.count() == 2 and {a.raised_by for a in alerts} == {inspector}


def test_hits_are_decided_by_plain_rules():
    now = timezone.now()
    a = Holding(1, agency_id=10, tied_to_case=True, last_added_at=now - timedelta(days=3), last_added_by=100)
    b = Holding(2, agency_id=20, tied_to_case=True, last_added_at=now, last_added_by=200)
    loose = Holding(3, agency_id=30, tied_to_case=False, last_added_at=now, last_added_by=300)
    hits = selector_hits([a, b, loose])
    assert {(h.agency_id, h.other_agency_id, h.raised_by) for h in hits} == {(10, 20, 200), (20, 10, 200)}
    assert selector_hits([a, loose]) == []
    limit = RateLimit.from_dict(SMALL_LIMIT)
    assert limit.allows(2) and not limit.allows(3)
    assert limit.next_allowed_at([now - timedelta(minutes=m) for m in (50, 40, 10)]) == now - timedelta(minutes=50) + timedelta(minutes=60)
    with pytest.raises(ValueError):
        RateLimit.from_dict({"selector_additions": 0, "window_minutes": 60})


def test_additions_beyond_the_rolling_window_are_refused_and_the_supervisor_sees_it(demo, settings):
    settings.PALERMO_DECONFLICTION_LIMIT = SMALL_LIMIT
    prober = demo.users["it.investigator"]
    bar_manager = demo.persons["bar_manager"]
    SelectorLink.objects.filter(recorded_by=prober).update(recorded_at=timezone.now() - timedelta(hours=2))
    for n in range(3):
        core_services.add_selector(prober, bar_manager, "phone", f"+39 02 555 010{n}", source="call records")
    before = SelectorLink.objects.count()
    with pytest.raises(FieldErrors) as refused:
        core_services.add_selector(prober, bar_manager, "phone", "+39 02 555 0199", source="call records")
    message = " ".join(refused.value.errors["value"])
    assert "3 selectors" in message and "60 minutes" in message and "supervisor" in message
    assert SelectorLink.objects.count() == before  # nothing recorded, nothing checked
    refusal = DeconflictionRefusal.objects.get(user=prober)
    assert refusal.agency == prober.agency and refusal.kind == "phone"
    assert AuditEntry.objects.filter(action="deconfliction_refused", actor_username="it.investigator").exists()
    report = S.deconfliction_report(demo.users["it.supervisor"])
    assert [r.user for r in report.refusals] == [prober]
    assert not S.deconfliction_report(demo.users["ro.supervisor"]).refusals
    alerts_page = _client(demo.users["it.supervisor"]).get(reverse("intel:alerts")).content.decode()
    assert "1 selector addition" in alerts_page and reverse("intel:deconfliction_report") in alerts_page
    assert "selector addition" not in _client(prober).get(reverse("intel:alerts")).content.decode()
    # The window rolls: once the earlier additions are older than it, adding works again.
    SelectorLink.objects.filter(recorded_by=prober).update(recorded_at=timezone.now() - timedelta(minutes=61))
    core_services.add_selector(prober, bar_manager, "phone", "+39 02 555 0199", source="call records")


def test_refusal_through_the_api_is_a_field_error(demo, settings):
    settings.PALERMO_DECONFLICTION_LIMIT = {"selector_additions": 1, "window_minutes": 60}
    prober = demo.users["it.investigator"]
    _, token = ApiToken.issue(prober, "t")
    api = Client(headers={"Authorization": f"Bearer {token}"})
    payload = {"holder_type": "person", "holder_id": demo.persons["bar_manager"].pk, "kind": "phone",
               "value": "+39 02 555 0777", "source": "call records"}
    response = api.post("/api/selectors", payload, content_type="application/json")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert any(d["loc"][-1] == "value" and "supervisor" in d["msg"] for d in detail)


def test_supervisor_report_of_who_raised_which_hits(demo, django_capture_on_commit_callbacks):
    inspector = demo.users["it.inspector"]
    with django_capture_on_commit_callbacks(execute=True):
        core_services.add_selector(inspector, demo.persons["gangmaster"], "phone", _value_of(demo.persons["leader"]),
                                   source="labour inspection interview")
    ro_supervisor = demo.users["ro.supervisor"]
    body = _client(ro_supervisor).get(reverse("intel:deconfliction_report")).content.decode()
    assert "it-labour-foggia" in body or "Labour" in body
    assert "it.inspector" not in body  # another agency's user is named by agency only
    _, token = ApiToken.issue(ro_supervisor, "t")
    rows = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/intel/deconfliction/report").json()
    assert any(h["raised_by_agency"] == "it-labour-foggia" and h["raised_by"] == "" for h in rows["hits"])
    assert AuditEntry.objects.filter(action="view_sensitive", object_type="intel.deconfliction_report",
                                     actor_username="ro.supervisor").count() == 2
    # The inspector's own agency has no supervisor in the demo; the Milan police's supervisor sees its own
    # users' hits by name (the forger's phone was raised by it.investigator).
    milan = S.deconfliction_report(demo.users["it.supervisor"])
    assert any(h.raised_by_label == "it.investigator" for h in milan.hits)


def test_report_is_for_supervisors_only(demo):
    for username in ("it.investigator", "ro.analyst", "oversight.auditor"):
        assert _client(demo.users[username]).get(reverse("intel:deconfliction_report")).status_code == 403
    _, token = ApiToken.issue(demo.users["ro.analyst"], "t")
    assert Client(headers={"Authorization": f"Bearer {token}"}).get(
        "/api/intel/deconfliction/report").status_code == 403
