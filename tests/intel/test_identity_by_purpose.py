"""Identity is revealed per person, with a stated purpose, audited against that person — review pages
included. Pages, API responses and exports show pseudonyms and comparisons, never names, dates of birth,
documents or contact values."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from palermo.accounts.models import ApiToken
from palermo.audit import selectors as audit_selectors
from palermo.audit.services import object_ref
from palermo.intel import selectors as S
from palermo.jobs.models import Job

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _identity_values(person) -> list[str]:
    """What must not appear without a reveal: the full name, each name part, the date of birth, documents,
    contact values and the values of the selectors the person holds."""
    values = [f"{person.given_name} {person.family_name}", person.given_name, person.family_name]
    dob = person.date_of_birth or {}
    if isinstance(dob, dict) and len(dob.get("value") or "") >= 7:  # a bare year matches too much (XML namespaces)
        values.append(dob["value"])
    values += [d.get("number", "") for d in person.documents or [] if isinstance(d, dict)]
    values += [str(v) for v in (person.contact or {}).values()]
    values += [link.selector.value for link in person.selector_links.select_related("selector")]
    return [v for v in values if v and len(v) > 2]


def _shown(value: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text) is not None


def _assert_no_identity(persons, text: str) -> None:
    leaked = [(p.pseudonym, v) for p in persons for v in _identity_values(p) if _shown(v, text)]
    assert not leaked, f"identity shown without a stated purpose: {leaked}"


def _review_pair(demo):
    return demo.persons["woman0"], demo.persons["ngo_woman0"]


def test_review_page_compares_by_pseudonym_and_evidence_without_values(demo):
    left, right = _review_pair(demo)
    body = _client(demo.users["ro.analyst"]).get(reverse("intel:resolution")).content.decode()
    assert left.pseudonym in body and right.pseudonym in body
    _assert_no_identity([left, right], body)
    # The comparison's evidence: which fields agree or disagree and how strongly, without the values.
    assert "date of birth" in body and "given name" in body
    assert re.search(r"weight [+-]\d+\.\d", body)


def test_review_queue_evidence_carries_no_values(demo):
    left, right = _review_pair(demo)
    proposals = {(p["left"].pk, p["right"].pk): p for p in S.resolution_queue(demo.users["ro.analyst"])}
    proposal = proposals[tuple(sorted((left.pk, right.pk)))]
    shown = " ".join(f"{c.field} {c.level} {c.weight}" for c in proposal["comparisons"])
    assert proposal["comparisons"] and "given name" in shown
    _assert_no_identity([left, right], shown)


def test_review_page_reveals_one_person_on_demand_for_a_purpose_listed_in_who_viewed(demo):
    left, right = _review_pair(demo)
    analyst = demo.users["ro.analyst"]
    client = _client(analyst)
    body = client.get(reverse("intel:resolution")).content.decode()
    assert reverse("person_reveal", args=[left.pk]) in body and reverse("person_reveal", args=[right.pk]) in body
    refused = client.post(reverse("person_reveal", args=[left.pk]), {"purpose": "why"})
    assert refused.status_code == 400
    purpose = "compare with the shelter's record before deciding the merge"
    revealed = client.post(reverse("person_reveal", args=[left.pk]), {"purpose": purpose}).content.decode()
    assert _shown(left.family_name, revealed)
    auditor = demo.users["oversight.auditor"]
    viewed = audit_selectors.who_viewed(auditor, *object_ref(left)[:2])
    assert viewed.filter(actor_username="ro.analyst", action="reveal_identity", purpose=purpose).exists()
    assert not audit_selectors.who_viewed(auditor, *object_ref(right)[:2]).filter(
        actor_username="ro.analyst", action="reveal_identity").exists()


def test_person_page_hides_document_and_contact_selectors_until_revealed(demo):
    forger = demo.persons["forger"]
    client = _client(demo.users["ro.investigator"])
    body = client.get(reverse("person_detail", args=[forger.pk])).content.decode()
    assert "identity_document" in body and "phone" in body
    _assert_no_identity([forger], body)
    revealed = client.post(reverse("person_reveal", args=[forger.pk]),
                           {"purpose": "check the passport number against the border record"}).content.decode()
    document = forger.selector_links.get(selector__kind="identity_document").selector.value
    assert _shown(document, revealed)


def test_person_reveal_api_lists_the_selector_values_revealed(demo):
    forger = demo.persons["forger"]
    _, token = ApiToken.issue(demo.users["ro.investigator"], "t")
    response = Client().post(f"/api/persons/{forger.pk}/reveal", {"purpose": "check the passport number"},
                             content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    kinds = {s["kind"]: s["value"] for s in response.json()["selectors"]}
    assert kinds["identity_document"] == forger.selector_links.get(selector__kind="identity_document").selector.value


@pytest.mark.parametrize("username", ["ro.analyst", "ro.investigator", "it.investigator"])
def test_intel_pages_api_and_exports_show_no_identity(demo, username, django_capture_on_commit_callbacks):
    user = demo.users[username]
    client = _client(user)
    _, token = ApiToken.issue(user, "t")
    api = Client(headers={"Authorization": f"Bearer {token}"})
    persons = list(S.V.persons(user))
    texts = [client.get(reverse(name)).content.decode() for name in ("intel:graph", "intel:alerts", "intel:resolution",
                                                                     "intel:operations", "person_list", "home")]
    for fmt in ("graphml", "nodes.csv", "edges.csv"):  # built on the worker, downloaded by the requester
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("intel:graph_export"), {"format": fmt, "purpose": "checking what exports contain"})
        download = client.get(reverse("jobs:download", args=[Job.objects.latest("pk").pk]))
        assert download.status_code == 200
        texts.append(b"".join(download.streaming_content).decode())
    texts += [api.get(path).content.decode() for path in ("/api/intel/network", "/api/intel/alerts",
                                                          "/api/persons", "/api/intel/operations")]
    texts += [client.get(reverse("person_detail", args=[p.pk])).content.decode() for p in persons[:12]]
    texts += [client.get(reverse("intel:operation_detail", args=[op.pk])).content.decode()
              for op in S.operation_list(user)]
    _assert_no_identity(persons, "\n".join(texts))


@pytest.mark.parametrize("username", ["ngo.casemanager", "ro.investigator"])
def test_case_protection_and_intake_pages_show_no_identity(demo, username):
    user = demo.users[username]
    client = _client(user)
    persons = list(S.V.persons(user))
    texts = [client.get(reverse("case_detail", args=[case.pk])).content.decode() for case in S.V.cases(user)]
    texts += [client.get(reverse("protection:person", args=[p.pk])).content.decode() for p in persons[:12]]
    texts += [client.get(reverse(name)).content.decode() for name in ("protection:index", "intake:queue")]
    texts += [client.get("/api/cases").content.decode()]
    _assert_no_identity(persons, "\n".join(texts))
