"""The network page, its exports and the graph built from what each user may see."""

import pytest
from django.test import Client
from django.urls import reverse

from palermo.audit.models import AuditEntry
from palermo.intel import selectors as S
from palermo.jobs.models import Job

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_shared_selector_ties_its_holders_in_the_graph(demo):
    investigator = demo.users["ro.investigator"]
    nodes, edges = S.network_records(investigator)
    forger, leader = demo.persons["forger"], demo.persons["leader"]
    travel = demo.organisations["travel"]
    by_selector: dict[str, set[str]] = {}
    for edge in edges:
        if edge.kind == "uses_selector":
            by_selector.setdefault(edge.target, set()).add(edge.source)
    # The leader's phone is also the travel agency's advertised number: one selector node, two holders.
    assert any({f"person:{leader.pk}", f"organisation:{travel.pk}"} <= holders for holders in by_selector.values())
    assert f"person:{forger.pk}" in {n.id for n in nodes}


def test_graph_holds_only_visible_records(demo):
    inspector = demo.users["it.inspector"]
    ids = {n.id for n in S.network_records(inspector)[0]}
    assert f"person:{demo.persons['gangmaster'].pk}" in ids
    assert f"person:{demo.persons['forger'].pk}" not in ids
    assert f"case:{demo.cases['ro_network'].pk}" not in ids
    # Secret operation case: only compartment members see it.
    analyst_ids = {n.id for n in S.network_records(demo.users["ro.analyst"])[0]}
    assert f"case:{demo.cases['operation'].pk}" not in analyst_ids
    leader_ids = {n.id for n in S.network_records(demo.users["ro.investigator"])[0]}
    assert f"case:{demo.cases['operation'].pk}" in leader_ids


def test_forger_is_critical_with_a_reason_and_victims_are_never_proposed(demo):
    view = S.network_view(demo.users["ro.analyst"], S.network_filter())
    entries = {e.node_id: e for e in view.report.entries}
    forger = entries[f"person:{demo.persons['forger'].pk}"]
    assert "substantive_role" in forger.kinds
    assert "Document forger" in forger.reason
    assert forger.redundancy.level in ("none", "low", "high") and forger.redundancy.explanation
    victims = {f"person:{demo.persons[f'woman{i}'].pk}" for i in range(7)}
    assert not victims & set(entries)


def test_graph_page_shows_report_and_filters_server_side(demo):
    client = _client(demo.users["ro.analyst"])
    page = client.get(reverse("intel:graph"))
    assert page.status_code == 200
    body = page.content.decode()
    assert demo.persons["forger"].pseudonym in body and "Document forger" in body
    assert "vendor/cytoscape/cytoscape.min.js" in body
    only_it = client.get(reverse("intel:graph"), {"country": "IT"})
    elements = only_it.context["elements"]
    persons = [e["data"] for e in elements if e["group"] == "nodes" and e["data"]["kind"] == "person"]
    assert persons and {p["country"] for p in persons} == {"IT"}
    assert demo.persons["forger"].pseudonym not in [e["data"].get("label") for e in elements]
    later = client.get(reverse("intel:graph"), {"start": "2026-06-01", "undated": "exclude"})
    labels = {e["data"].get("label") for e in later.context["elements"]}
    assert demo.persons["official"].pseudonym in labels  # role started 2026-06-01
    assert demo.persons["forger"].pseudonym not in labels  # role 2026-04-20, phone seen 2026-05-02


def test_bad_filter_gives_field_errors_not_a_crash(demo):
    client = _client(demo.users["ro.analyst"])
    page = client.get(reverse("intel:graph"), {"start": "yesterday", "country": "XX", "role": "Wizard",
                                                     "undated": "maybe"})
    assert page.status_code == 400
    assert set(page.context["errors"]) == {"start", "countries", "roles", "undated"}
    bad_export = client.post(reverse("intel:graph_export"), {"format": "graphml", "end": "soon", "purpose": "p"})
    assert bad_export.status_code == 400 and set(bad_export.context["export_errors"]) == {"end"}


def test_export_needs_a_stated_purpose_and_a_known_format(demo):
    client = _client(demo.users["ro.analyst"])
    before = Job.objects.count()
    response = client.post(reverse("intel:graph_export"), {"format": "pdf", "purpose": "  ", "country": "RO"})
    assert response.status_code == 400
    assert set(response.context["export_errors"]) == {"format", "purpose"}
    assert Job.objects.count() == before
    assert client.get(reverse("intel:graph_export")).status_code == 405


@pytest.mark.parametrize("fmt,marker", [("graphml", b"<graphml"), ("nodes.csv", b"id,kind,label"),
                                        ("edges.csv", b"source,target,kind")])
def test_exports_are_audited_with_the_stated_purpose(demo, fmt, marker, django_capture_on_commit_callbacks):
    client = _client(demo.users["ro.analyst"])
    exports = AuditEntry.objects.filter(action="export", object_type="intel.network")
    before = exports.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("intel:graph_export"), {"format": fmt, "country": "RO",
                                                               "purpose": "Briefing for operation Danube"})
    job = Job.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == Job.SUCCEEDED and job.purpose == "Briefing for operation Danube"
    assert exports.count() == before + 1
    entry = exports.latest("seq")
    assert entry.actor_username == "ro.analyst" and entry.details["format"] == fmt
    assert entry.purpose == "Briefing for operation Danube" and entry.details["countries"] == ["RO"]
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    assert reverse("jobs:download", args=[job.pk]) in page.content.decode()
    download = client.get(reverse("jobs:download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    assert download.status_code == 200 and marker in content
    assert demo.persons["forger"].given_name.encode() not in content
    downloaded = AuditEntry.objects.filter(action="download_export").latest("seq")
    assert downloaded.purpose == "Briefing for operation Danube" and downloaded.object_id == str(job.pk)
    # Nobody else downloads it, not even a supervisor who may follow the job.
    supervisor = _client(demo.users["ro.supervisor"])
    assert supervisor.get(reverse("jobs:detail", args=[job.pk])).status_code == 200
    assert supervisor.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert _client(demo.users["it.supervisor"]).get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_network_api_returns_elements_report_and_field_errors(demo):
    from palermo.accounts.models import ApiToken

    _, token = ApiToken.issue(demo.users["ro.analyst"], "t")
    headers = {"Authorization": f"Bearer {token}"}
    response = Client().get("/api/intel/network", headers=headers)
    assert response.status_code == 200
    data = response.json()
    forger = f"person:{demo.persons['forger'].pk}"
    assert any(e["node_id"] == forger and "Document forger" in e["reason"] for e in data["report"]["entries"])
    assert any(el["data"]["id"] == forger for el in data["elements"])
    bad = Client().get("/api/intel/network?start=31/12/2026", headers=headers)
    assert bad.status_code == 400 and bad.json()["detail"][0]["loc"][-1] == "start"
