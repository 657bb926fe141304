"""Operator pages (intake form, signal, queue, rules) and the public report with its follow-up."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palermo.audit.models import AuditEntry
from palermo.intake import services
from palermo.intake.models import ReportReceipt, RoutingRule, Signal, SignalNote

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_operator_intake_shows_triage_route_and_suggested_link(world):
    client = logged_in(world.users["police_investigator"])
    page = client.get(reverse("intake:new"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'autofocus' in html and 'accesskey="s"' in html and '<label for="id_channel">' in html
    response = client.post(reverse("intake:new"), {
        "channel": "PhoneCall", "caller_type": "Victim", "immediate_danger": "yes", "minors_involved": "unknown",
        "ongoing_exploitation": "yes", "country": "RO", "location": "Iasi, near the station",
        "exploitation_type": "SexualExploitation", "text": "The boss calls me from 0722 555 123",
        "indicator_codes": ["IND-THREATS"],
    }, follow=True)
    html = response.content.decode()
    signal = Signal.objects.get()
    assert response.redirect_chain[-1][0] == reverse("intake:signal", args=[signal.pk])
    assert "Triage: critical" in html and "Someone is in immediate danger." in html
    assert "Routed to: Ro Police" in html
    # the report itself is read with a stated purpose, recorded with the read
    assert "0722 555 123" not in html and 'name="purpose"' in html
    reads = AuditEntry.objects.filter(action="view_sensitive", object_id=str(signal.pk))
    assert not reads.exists()
    url = reverse("intake:signal", args=[signal.pk])
    assert client.post(url, {"purpose": ""}).status_code == 400 and not reads.exists()
    html = client.post(url, {"purpose": "triage of the call just taken"}).content.decode()
    assert "0722 555 123" in html
    assert "RO-T-1 Travel agency network" in html and "seized phone contacts" in html
    assert [r.purpose for r in reads] == ["triage of the call just taken"]


def test_operator_intake_errors_are_shown_by_field(world):
    client = logged_in(world.users["ngo_operator"])
    response = client.post(reverse("intake:new"), {"channel": "PhoneCall", "caller_type": "Victim",
                                                   "immediate_danger": "unknown", "minors_involved": "unknown",
                                                   "ongoing_exploitation": "unknown", "country": "RO",
                                                   "interpreter_needed": "on"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "id_interpreter_language-errors" in html and "describe what was reported" in html
    assert not Signal.objects.exists()


def test_pages_need_an_intake_role(world):
    assert logged_in(world.users["police_admin"]).get(reverse("intake:queue")).status_code == 403
    assert Client().get(reverse("intake:queue")).status_code == 302


def test_queue_orders_by_urgency_then_sla_and_hides_other_agencies_signals(world):
    operator = world.users["ngo_operator"]
    base = {"channel": "PhoneCall", "country": "RO", "exploitation_type": "SexualExploitation"}
    low = services.record_signal(operator, {**base, "text": "low one"})
    critical = services.record_signal(operator, {**base, "text": "urgent", "immediate_danger": "yes"})
    late_low = services.record_signal(operator, {**base, "text": "older low",
                                                 "received_at": timezone.now() - timedelta(days=5)})
    labour = services.record_signal(operator, {**base, "country": "IT", "region": "Apulia",
                                               "exploitation_type": "ForcedLabour", "text": "farm"})
    html = logged_in(world.users["police_investigator"]).get(reverse("intake:queue")).content.decode()
    order = [m for m in re.findall(r"SIG-\d+", html)]
    assert order == [critical.reference, late_low.reference, low.reference]
    assert labour.reference not in html
    assert "overdue since" in html and "3 open contacts about 3 situations" in html


def test_menu_lists_the_queue_for_intake_roles(world):
    html = logged_in(world.users["ngo_operator"]).get(reverse("intake:queue")).content.decode()
    assert f'href="{reverse("intake:queue")}"' in html and "Routing rules" not in html


def test_supervisor_edits_routing_rules(world):
    client = logged_in(world.users["police_supervisor"])
    response = client.post(reverse("intake:rules"), {"country": "RO", "exploitation_type": "ForcedBegging",
                                                     "target_agency": world.agencies["ro-police"].pk})
    assert response.status_code == 302
    rule = RoutingRule.objects.get(exploitation_type="ForcedBegging")
    client.post(reverse("intake:deactivate_rule", args=[rule.pk]))
    rule.refresh_from_db()
    assert not rule.active
    assert AuditEntry.objects.filter(action="deactivate_routing_rule").exists()
    assert logged_in(world.users["police_investigator"]).get(reverse("intake:rules")).status_code == 403


def test_supervisor_reassigns_from_the_signal_page(world):
    signal = services.record_signal(world.users["ngo_operator"], {"channel": "PhoneCall", "country": "RO",
                                                                  "exploitation_type": "SexualExploitation",
                                                                  "text": "report"})
    client = logged_in(world.users["police_supervisor"])
    client.post(reverse("intake:reassign", args=[signal.pk]), {"to_agency": world.agencies["ro-coord"].pk,
                                                               "reason": "national coordination"})
    signal.refresh_from_db()
    assert signal.routed_agency == world.agencies["ro-coord"]


# --- public ---------------------------------------------------------------------------------------

def report(client, **fields):
    data = {"text": "Vecina mea de 16 ani este ținută închisă și i-au luat pașaportul. Sună la 0722 555 123.",
            "country": "RO", "location": "Iași", "situation": "SexualExploitation", "immediate_danger": "unknown",
            "minors_involved": "yes", "caller_type": "CommunityMember", "contact": "", "website": ""}
    data.update(fields)
    return client.post(reverse("intake:report"), data, REMOTE_ADDR=fields.pop("address", "203.0.113.5"))


def test_public_report_in_romanian_gives_a_code_and_is_routed(world):
    client = Client()
    page = client.get(reverse("intake:report") + "?lang=ro")
    html = page.content.decode()
    assert page.status_code == 200 and "Semnalați o situație" in html and "România" in html
    assert '<html lang="ro">' in html
    response = report(client)
    assert response.status_code == 201
    html = response.content.decode()
    code = re.search(r'id="follow-up-code">([^<]+)<', html)[1]
    passphrase = re.search(r'id="passphrase">([^<]+)<', html)[1]
    signal = Signal.objects.get()
    assert signal.language == "ro" and signal.channel == "WebForm" and signal.caller_type == "CommunityMember"
    assert signal.owner_agency == world.agencies["ro-police"] == signal.routed_agency
    assert signal.triage_level == "high"
    receipt = ReportReceipt.objects.get()
    assert receipt.code == code and passphrase not in receipt.passphrase_hash
    assert signal in __import__("palermo.intake.selectors", fromlist=["queue"]).queue(world.users["police_investigator"])


def test_follow_up_shows_receipt_only_and_accepts_more_information(world):
    signal, code, passphrase = services.submit_public_report({"text": "Forced work on a farm", "country": "RO"})
    client = Client()
    wrong = client.post(reverse("intake:follow_up") + "?lang=es", {"code": code, "passphrase": "nope"})
    assert wrong.status_code == 400 and "no es correcto" in wrong.content.decode()
    opened = client.post(reverse("intake:follow_up"), {"code": code.lower(), "passphrase": passphrase})
    html = opened.content.decode()
    assert "Su denuncia fue recibida el" in html
    assert signal.triage_level not in html and "Routed" not in html and "Forced work" not in html
    added = client.post(reverse("intake:follow_up"), {"text": "His e-mail: boss at example dot com"})
    assert "Su información fue recibida" in added.content.decode()
    note = SignalNote.objects.get()
    assert note.from_reporter and note.signal == signal
    assert signal.selector_indexes.filter(kind="email").exists()


def test_public_report_is_rate_limited_per_address(world):
    client = Client()
    for _ in range(services.PUBLIC_LIMITS["report"]):
        assert report(client).status_code == 201
    assert report(client).status_code == 429
    assert report(client, address="198.51.100.7").status_code == 201


def test_honeypot_and_size_limits(world):
    client = Client()
    fooled = report(client, website="http://spam.example")
    assert fooled.status_code == 200 and "follow-up-code" not in fooled.content.decode()
    assert report(client, text="x" * 4001).status_code == 400
    assert report(client, text="x" * 70_000).status_code == 413
    assert not Signal.objects.exists()


def test_public_form_fields_have_labels_and_the_honeypot_is_hidden(world):
    html = Client().get(reverse("intake:report")).content.decode()
    for field in ("text", "country", "location", "situation", "immediate_danger", "minors_involved",
                  "caller_type", "contact"):
        assert f'<label for="id_{field}">' in html
    assert 'aria-hidden="true"' in html and 'tabindex="-1"' in html
