"""Deconfliction: both owners of a shared selector are alerted with the other's contact point only."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from palermo.accounts.models import ApiToken
from palermo.audit.models import AuditEntry
from palermo.core import services as core_services
from palermo.intel import selectors as S
from palermo.intel import services
from palermo.intel.models import DeconflictionAlert

pytestmark = pytest.mark.django_db


def _forger_phone_alerts(demo):
    forger_selector = demo.persons["forger"].selector_links.get(selector__kind="phone").selector
    return DeconflictionAlert.objects.filter(match_key=forger_selector.value_index)


def test_demo_raises_an_alert_for_both_owners_of_the_forgers_phone(demo):
    alerts = {(a.agency.code, a.other_agency.code): a for a in _forger_phone_alerts(demo)}
    assert set(alerts) == {("ro-police-atu", "it-police-milan"), ("it-police-milan", "ro-police-atu")}
    ro_alert = alerts[("ro-police-atu", "it-police-milan")]
    assert ro_alert.other_contact_point == demo.agencies["it-police-milan"].contact_point
    assert ro_alert.own_selector.owner_agency.code == "ro-police-atu"


def test_scan_is_idempotent_and_finds_new_overlaps(demo):
    assert services.scan_deconfliction() == 0
    call_command("intel", "deconflict")
    assert _forger_phone_alerts(demo).count() == 2
    # The labour inspectorate now records the leader's phone for the gangmaster: two new overlaps.
    leader_phone = demo.persons["leader"].selector_links.get(selector__kind="phone").selector.value
    core_services.add_selector(demo.users["it.inspector"], demo.persons["gangmaster"], "phone", leader_phone,
                               source="labour inspection interview")
    assert services.scan_deconfliction() == 2
    assert DeconflictionAlert.objects.filter(agency__code="it-labour-foggia", other_agency__code="ro-police-atu").exists()
    assert AuditEntry.objects.filter(action="deconfliction_alert").count() >= 4


def test_alert_page_names_contact_point_never_the_other_records_content(demo):
    client = Client()
    client.force_login(demo.users["it.investigator"])
    body = client.get(reverse("intel:alerts")).content.decode()
    assert demo.agencies["ro-police-atu"].contact_point in body
    assert demo.persons["bar_manager"].pseudonym in body  # their own holder
    assert demo.persons["forger"].pseudonym not in body  # the other agency's holder stays hidden
    assert demo.persons["forger"].selector_links.get(selector__kind="phone").selector.value not in body


def test_alerts_reach_only_operational_roles_of_the_receiving_agency(demo):
    assert S.deconfliction_alerts(demo.users["ro.analyst"]).exists()
    assert not S.deconfliction_alerts(demo.users["ngo.casemanager"]).exists()
    assert not S.deconfliction_alerts(demo.users["it.inspector"]).filter(
        other_agency__code="it-police-milan").exists()
    assert not S.deconfliction_alerts(demo.users["oversight.auditor"]).exists()


def test_acknowledge_is_audited_and_only_once(demo):
    analyst = demo.users["ro.analyst"]
    alert = S.deconfliction_alerts(analyst).first()
    client = Client()
    client.force_login(analyst)
    client.post(reverse("intel:alert_acknowledge", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.acknowledged_by == analyst
    assert AuditEntry.objects.filter(action="acknowledge_alert", object_id=str(alert.pk)).count() == 1
    client.post(reverse("intel:alert_acknowledge", args=[alert.pk]))
    assert AuditEntry.objects.filter(action="acknowledge_alert", object_id=str(alert.pk)).count() == 1
    other = Client()
    other.force_login(demo.users["it.inspector"])
    assert other.post(reverse("intel:alert_acknowledge", args=[alert.pk])).status_code == 404


def test_alerts_api(demo):
    _, token = ApiToken.issue(demo.users["it.investigator"], "t")
    response = Client().get("/api/intel/alerts", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    rows = response.json()
    assert any(r["other_agency"] == "ro-police-atu" and r["other_contact_point"] for r in rows)
    assert all(set(r) == {"id", "basis", "other_agency", "other_contact_point", "own_record", "created_at",
                          "acknowledged_at"} for r in rows)
