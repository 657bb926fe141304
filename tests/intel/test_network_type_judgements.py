"""Network type as a dated analyst judgement: the system shows structural facts, the analyst decides."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.models import ApiToken
from palermo.audit.models import AuditEntry
from palermo.core.rules import FieldErrors
from palermo.core.services import NotPermitted
from palermo.intel import selectors as S
from palermo.intel import services
from palermo.intel.models import NetworkTypeJudgement

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _judge(user, network_type="broker", judged_on=None, rationale="Two national cells joined by the travel agent",
           scope=None, **extra):
    return services.record_network_type_judgement(
        user, {"network_type": network_type, "judged_on": judged_on, "rationale": rationale, **extra}, scope)


def test_graph_page_shows_facts_and_form_but_never_labels_the_network(demo):
    response = _client(demo.users["ro.analyst"]).get(reverse("intel:graph"))
    assert response.status_code == 200
    body = response.content.decode()
    profile = response.context["view"].profile
    assert profile.actors > 0 and profile.facts
    for fact in profile.facts:
        assert fact in body
    assert 'action="/intel/graph/judgements"' in body and 'id="rationale"' in body
    demo_judgement = NetworkTypeJudgement.objects.get()
    assert f"judged {demo_judgement.judged_on.isoformat()} by ro.analyst" in body and demo_judgement.rationale in body
    assert NetworkTypeJudgement.objects.count() == 1  # looking at the graph never records a type


def test_demo_holds_a_dated_judgement_with_the_facts_it_was_made_on(demo):
    judgement = NetworkTypeJudgement.objects.get()
    assert judgement.network_type == "broker" and judgement.analyst == demo.users["ro.analyst"]
    assert judgement.judged_on < timezone.localdate()
    assert judgement.structural_profile["facts"] == list(S.network_view(demo.users["ro.analyst"],
                                                                        S.network_filter()).profile.facts)


def test_judgement_keeps_the_facts_and_filters_seen_and_is_audited(demo):
    analyst = demo.users["ro.analyst"]
    judgement = _judge(analyst, scope={"countries": ["RO"]}, judged_on="2026-05-01")
    expected = S.network_view(analyst, S.network_filter(countries=["RO"])).profile
    assert judgement.judged_on == date(2026, 5, 1) and judgement.analyst == analyst
    assert judgement.structural_profile["facts"] == list(expected.facts)
    assert judgement.structural_profile["actors"] == expected.actors
    assert judgement.scope == {"start": None, "end": None, "countries": ["RO"], "roles": [], "undated": "include"}
    entry = AuditEntry.objects.filter(action="judge_network_type").latest("seq")
    assert entry.actor_username == "ro.analyst" and entry.object_id == str(judgement.pk)
    assert entry.details["network_type"] == "broker" and entry.details["scope"]["countries"] == ["RO"]


def test_a_filter_that_leaves_no_actors_still_shows_facts_and_can_be_judged(demo):
    response = _client(demo.users["ro.analyst"]).get(reverse("intel:graph"), {"country": "FR"})
    assert response.status_code == 200 and response.context["view"].profile.actors == 0
    judgement = _judge(demo.users["ro.analyst"], network_type="flux", scope={"countries": ["FR"]},
                       rationale="Nothing held in France yet")
    assert judgement.structural_profile["actors"] == 0 and judgement.structural_profile["facts"]


def test_judged_on_defaults_to_today(demo):
    assert _judge(demo.users["ro.supervisor"]).judged_on == timezone.localdate()


def test_bad_judgement_names_every_field_and_writes_nothing(demo):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    with pytest.raises(FieldErrors) as error:
        _judge(demo.users["ro.analyst"], network_type="pyramid", judged_on=tomorrow, rationale="  ",
               sensitivity="secret")
    assert set(error.value.errors) == {"network_type", "judged_on", "rationale", "sensitivity"}
    with pytest.raises(FieldErrors) as error:
        _judge(demo.users["ro.analyst"], rationale="", scope={"start": "May", "countries": ["XX"]})
    assert set(error.value.errors) == {"rationale", "start", "countries"}
    with pytest.raises(FieldErrors) as error:
        _judge(demo.users["ro.analyst"], judged_on="01/05/2026")
    assert error.value.errors == {"judged_on": ["use YYYY-MM-DD"]}
    assert NetworkTypeJudgement.objects.count() == 1  # the demo's own
    assert AuditEntry.objects.filter(action="judge_network_type").count() == 1


def test_only_analysts_and_supervisors_judge(demo):
    with pytest.raises(NotPermitted):
        _judge(demo.users["ro.investigator"])
    response = _client(demo.users["ro.investigator"]).post(reverse("intel:network_judgement_new"), {
        "network_type": "hub", "rationale": "r"})
    assert response.status_code == 403
    page = _client(demo.users["ro.investigator"]).get(reverse("intel:graph"))
    assert 'id="rationale"' not in page.content.decode()
    assert NetworkTypeJudgement.objects.count() == 1


def test_page_records_a_judgement_for_the_filter_shown_and_lists_history_newest_first(demo):
    client = _client(demo.users["ro.analyst"])
    _judge(demo.users["ro.analyst"], network_type="chain", judged_on="2026-03-01", rationale="Earlier view: a chain")
    response = client.post(reverse("intel:network_judgement_new"), {
        "network_type": "hub", "judged_on": "2026-06-01", "rationale": "The leader now holds most ties",
        "country": "RO", "undated": "include"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("intel:graph") + "?") and "country=RO" in response["Location"]
    latest = NetworkTypeJudgement.objects.get(network_type="hub")
    assert latest.scope["countries"] == ["RO"]
    page = client.get(response["Location"]).content.decode()
    assert page.index("The leader now holds most ties") < page.index("Earlier view: a chain")
    assert "Hub (star or wheel)" in page and "judged 2026-06-01 by ro.analyst" in page


def test_page_shows_field_errors_and_keeps_what_was_typed(demo):
    response = _client(demo.users["ro.analyst"]).post(reverse("intel:network_judgement_new"), {
        "network_type": "", "rationale": "", "judged_on": "soon", "start": "2026-01-01"})
    assert response.status_code == 400
    assert set(response.context["judgement_errors"]) == {"network_type", "rationale", "judged_on"}
    assert 'value="soon"' in response.content.decode()
    assert response.context["params"]["start"] == "2026-01-01"
    # the export form keeps the filter shown
    assert '<input type="hidden" name="start" value="2026-01-01">' in response.content.decode().split('id="export"')[1]
    bad_filter = _client(demo.users["ro.analyst"]).post(reverse("intel:network_judgement_new"), {
        "network_type": "hub", "rationale": "r", "country": "XX"})
    assert bad_filter.status_code == 400 and set(bad_filter.context["judgement_errors"]) == {"countries"}
    assert NetworkTypeJudgement.objects.count() == 1


def test_history_shows_only_judgements_the_user_may_see(demo):
    _judge(demo.users["ro.supervisor"], network_type="mesh", rationale="restricted view", sensitivity="restricted")
    _judge(demo.users["ro.analyst"], network_type="flux", rationale="normal view")
    demo_rationale = NetworkTypeJudgement.objects.get(network_type="broker").rationale
    assert {j.rationale for j in S.network_type_judgements(demo.users["ro.analyst"])} == {
        "restricted view", "normal view", demo_rationale}
    assert {j.rationale for j in S.network_type_judgements(demo.users["ro.admin"])} == {"normal view", demo_rationale}
    assert not S.network_type_judgements(demo.users["it.investigator"]).exists()
    page = _client(demo.users["it.investigator"]).get(reverse("intel:graph")).content.decode()
    assert "normal view" not in page


def test_judgements_api_lists_creates_and_rejects_with_field_errors(demo):
    _, token = ApiToken.issue(demo.users["ro.analyst"], "t")
    headers = {"Authorization": f"Bearer {token}"}
    month_ago, day_after = (timezone.localdate() - timedelta(days=30 - n) for n in (0, 1))
    created = Client().post("/api/intel/network/judgements", {
        "network_type": "broker", "judged_on": month_ago.isoformat(), "rationale": "Cells in RO and IT joined by two brokers",
        "country": ["RO", "IT"]}, content_type="application/json", headers=headers)
    assert created.status_code == 201
    data = created.json()
    assert data["network_type_label"] == "Broker network" and data["analyst"] == "ro.analyst"
    assert data["scope"]["countries"] == ["IT", "RO"] and data["structural_profile"]["facts"]
    _judge(demo.users["ro.analyst"], network_type="chain", judged_on=day_after)
    listed = Client().get("/api/intel/network/judgements", headers=headers).json()
    # Newest judgement first: the demo's (two weeks ago), then the two typed here.
    assert [(j["network_type"], j["judged_on"]) for j in listed] == [
        ("broker", (timezone.localdate() - timedelta(days=14)).isoformat()),
        ("chain", day_after.isoformat()), ("broker", month_ago.isoformat())]
    bad = Client().post("/api/intel/network/judgements", {"network_type": "ring", "rationale": "", "end": "later"},
                        content_type="application/json", headers=headers)
    assert bad.status_code == 400
    assert {d["loc"][-1] for d in bad.json()["detail"]} == {"network_type", "rationale", "end"}
    _, it_token = ApiToken.issue(demo.users["it.investigator"], "t")
    it_headers = {"Authorization": f"Bearer {it_token}"}
    assert Client().get("/api/intel/network/judgements", headers=it_headers).json() == []
    assert Client().post("/api/intel/network/judgements", {"network_type": "hub", "rationale": "r"},
                         content_type="application/json", headers=it_headers).status_code == 403
    assert NetworkTypeJudgement.objects.count() == 3
