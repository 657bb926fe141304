"""The protection API: same rules as the pages; bad input is a 4xx with field-level detail."""

import json

import pytest
from django.test import Client

from palermo.accounts.models import ApiToken
from palermo.protection.models import MeasureAttempt, Screening

from .conftest import PRESUMED_LABOUR

pytestmark = pytest.mark.django_db


def _api(user):
    _, raw = ApiToken.issue(user, "t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def call(method, path, body=None):
        kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(f"/api/protection{path}", **kwargs)
    return call


def test_screen_refer_and_measure_over_the_api(pw):
    call = _api(pw.users["casemanager"])
    created = call("post", f"/persons/{pw.person.pk}/screenings",
                   {"exploitation": "labour", "age": 30, "indicators": PRESUMED_LABOUR})
    assert created.status_code == 201 and created.json()["outcome"] == "presumed_victim"
    assert [d["positive"] for d in created.json()["dimensions"]].count(True) == 3
    assert len(call("get", f"/persons/{pw.person.pk}/screenings").json()) == 1
    no_consent = call("post", f"/persons/{pw.person.pk}/referrals", {"provider_id": pw.shelter.pk})
    assert no_consent.status_code == 400 and no_consent.json()["detail"][0]["loc"] == ["body", "consent"]
    assert call("post", f"/persons/{pw.person.pk}/consents",
                {"purpose": "referral_to_services", "method": "oral", "language": "ro"}).status_code == 201
    assert call("post", f"/persons/{pw.person.pk}/referrals", {"provider_id": pw.shelter.pk}).status_code == 201
    refused = call("post", f"/persons/{pw.person.pk}/measures", {"measure": "removal"})
    assert refused.status_code == 201 and refused.json()["outcome"] == "refused"
    assert _api(pw.users["coordinator"])("post", "/coordinator-report", {}).status_code == 400
    report = _api(pw.users["coordinator"])("post", "/coordinator-report", {"purpose": "monthly review of the guard"}).json()
    assert report["counts"]["refused"] == 1 and "woman" not in json.dumps(report)
    assert "address" not in call("get", "/providers").json()[0]


def test_bad_input_and_visibility(pw):
    call = _api(pw.users["casemanager"])
    sexual = call("post", f"/persons/{pw.person.pk}/screenings", {"exploitation": "sexual", "age": 30})
    assert sexual.status_code == 400 and "not in the catalogue" in sexual.json()["detail"][0]["msg"]
    assert call("post", f"/persons/{pw.person.pk}/screenings", {"age": "x"}).status_code == 422
    assert call("post", f"/persons/{pw.person.pk}/measures", {"measure": "exile"}).status_code == 400
    assert not Screening.objects.exists() and not MeasureAttempt.objects.exists()
    outsider = _api(pw.users["inspector"])
    assert outsider("post", f"/persons/{pw.person.pk}/screenings",
                    {"exploitation": "labour", "age": 30}).status_code == 404
    assert outsider("post", "/coordinator-report", {"purpose": "monthly review of the guard"}).status_code == 403
