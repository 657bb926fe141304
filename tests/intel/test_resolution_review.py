"""Review queue: proposals among visible persons only, with evidence; merges and splits reversible, audited."""

import pytest
from django.test import Client
from django.urls import reverse

from palermo.audit.models import AuditEntry
from palermo.core.rules import FieldErrors
from palermo.core.selectors import NotVisible
from palermo.intel import selectors as S
from palermo.intel import services
from palermo.intel.models import DeconflictionAlert, ResolutionLink

pytestmark = pytest.mark.django_db


def _pair(demo, a, b):
    return tuple(sorted((demo.persons[a].pk, demo.persons[b].pk)))


def test_queue_proposes_the_shelters_record_of_a_woman_known_to_the_police(demo):
    analyst = demo.users["ro.analyst"]
    proposals = S.resolution_queue(analyst)
    pairs = {(p["left"].pk, p["right"].pk): p for p in proposals}
    expected = _pair(demo, "woman0", "ngo_woman0")
    assert expected in pairs
    proposal = pairs[expected]
    assert any(c.direction == "for" for c in proposal["comparisons"]) and proposal["match_probability"] > 0.5
    assert AuditEntry.objects.filter(action="view_sensitive", object_type="intel.resolution_queue",
                                     actor_username="ro.analyst").exists()
    visible = set(S.V.persons(analyst).values_list("pk", flat=True))
    assert all(p["left"].pk in visible and p["right"].pk in visible for p in proposals)


def test_nothing_is_compared_across_a_boundary_the_user_cannot_see(demo):
    inspector = demo.users["it.inspector"]
    pairs = set(S.resolution_evidence(inspector))
    assert _pair(demo, "woman0", "ngo_woman0") not in pairs
    with pytest.raises(NotVisible):
        services.decide_merge(inspector, demo.persons["woman0"].pk, demo.persons["ngo_woman0"].pk, "accepted")


def test_merge_split_and_merge_again_are_audited_and_alert_both_agencies(demo):
    analyst = demo.users["ro.analyst"]
    left, right = demo.persons["woman0"].pk, demo.persons["ngo_woman0"].pk
    client = Client()
    client.force_login(analyst)
    client.post(reverse("intel:resolution"), {"left": left, "right": right, "status": "accepted",
                                              "reason": "same date of birth and name, different spelling"})
    link = ResolutionLink.objects.get()
    assert link.status == "accepted" and link.decided_by == analyst and link.evidence_for
    alerts = DeconflictionAlert.objects.filter(basis="entity")
    assert {(a.agency.code, a.other_agency.code) for a in alerts} == {("ro-police-atu", "ro-ngo-shelter"),
                                                                       ("ro-ngo-shelter", "ro-police-atu")}
    services.decide_merge(analyst, right, left, "split", "family members, not the same woman")
    link.refresh_from_db()
    assert link.status == "split"
    services.decide_merge(analyst, left, right, "accepted", "confirmed by the case manager")
    actions = list(AuditEntry.objects.filter(object_type="intel.resolutionlink").values_list("action", flat=True))
    assert actions == ["resolution_accepted", "resolution_split", "resolution_accepted"]
    page = client.get(reverse("intel:resolution"))
    assert (left, right) not in {(p["left"].pk, p["right"].pk) for p in page.context["proposals"]}


def test_bad_decisions_are_refused(demo):
    analyst = demo.users["ro.analyst"]
    left, right = demo.persons["woman1"].pk, demo.persons["ngo_woman1"].pk
    with pytest.raises(FieldErrors):
        services.decide_merge(analyst, left, right, "maybe")
    with pytest.raises(FieldErrors):
        services.decide_merge(analyst, left, right, "split")
    with pytest.raises(NotVisible):
        services.decide_merge(analyst, left, left, "accepted")
    assert not ResolutionLink.objects.exists()
