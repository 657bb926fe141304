import dataclasses

import pytest
from networks import person, tie, two_country_network

from palermo.intel.network import ReportSettings, build_actor_graph, critical_nodes_report


@pytest.fixture(scope="module")
def report():
    return critical_nodes_report(*two_country_network())


def entry(report, node_id):
    matches = [e for e in report.entries if e.node_id == node_id]
    assert matches, f"{node_id} not reported"
    return matches[0]


def test_sole_document_forger_is_a_cut_point_with_no_redundancy(report):
    forger = entry(report, "filip")
    assert "substantive_role" in forger.kinds
    assert "Document forger" in forger.reason
    assert forger.redundancy.level == "none"
    assert forger.redundancy.is_articulation_point
    assert forger.redundancy.cut_off_actors == 2
    assert "no other Document forger" in forger.redundancy.explanation
    assert "cuts off 2 actors" in forger.redundancy.explanation


def test_broker_between_country_clusters(report):
    broker = entry(report, "bogdan")
    assert report.entries[0].node_id == "bogdan"
    assert {"high_betweenness", "boundary_spanner"} <= set(broker.kinds)
    assert "connects 2 countries (DE, RO)" in broker.reason
    assert "the only actor in RO tied to DE" in broker.redundancy.explanation
    assert broker.redundancy.cut_off_actors == 6
    assert broker.brokerage.gatekeeper_or_representative == 8


def test_recruiter_with_a_twin_has_redundancy_noted(report):
    recruiter = entry(report, "ana")
    assert recruiter.redundancy.level == "low"
    assert recruiter.redundancy.alternatives == ("alina",)
    assert "1 other Recruiter or intermediary in its community (Alina)" in recruiter.redundancy.explanation


def test_without_the_twin_the_recruiter_is_irreplaceable():
    nodes, edges = two_country_network()
    nodes = [n for n in nodes if n.id != "alina"]
    edges = [e for e in edges if "alina" not in (e.source, e.target)]
    recruiter = entry(critical_nodes_report(nodes, edges), "ana")
    assert recruiter.redundancy.level == "none"
    assert "no other Recruiter or intermediary in its community" in recruiter.redundancy.explanation


def test_leadership_comes_from_role_or_directing_network_members(report):
    leader = entry(report, "greta")
    assert leader.kinds[0] == "leadership"
    assert "directs 2 actors (Hans, Karl)" in leader.reason
    # Hans directs only a presumed victim: control of a victim is not leadership of the network.
    assert "leadership" not in entry(report, "hans").kinds


def test_victims_and_evidence_nodes_are_never_candidates(report):
    reported = {e.node_id for e in report.entries}
    assert "nora" not in reported
    assert not reported & {"phone1", "case1"}
    assert {e.node_kind for e in report.entries} <= {"person", "organisation"}


def test_travel_agency_spans_into_the_legal_world(report):
    agency = entry(report, "sunway")
    assert agency.kinds == ("boundary_spanner",)
    assert "legal world (Travel agency)" in agency.reason


def test_report_is_deterministic_and_ordered(report):
    again = critical_nodes_report(*two_country_network())
    assert again.as_dict() == report.as_dict()
    levels = [e.redundancy.level for e in report.entries]
    assert levels == sorted(levels, key=("none", "low", "high").index)


def test_bridge_to_the_forger_side_is_listed(report):
    assert [(b.source_id, b.target_id, b.smaller_side) for b in report.bridges] == [("radu", "filip", 3)]


def test_shared_evidence_becomes_a_tie_unless_shared_too_widely():
    nodes = [person("a", "RO"), person("b", "RO"), person("c", "RO")]
    nodes.append(dataclasses.replace(nodes[0], id="phone", kind="selector", country=""))
    edges = [
        tie("a", "phone", "uses_selector"),
        tie("b", "phone", "uses_selector"),
        tie("c", "phone", "uses_selector"),
    ]
    projected = build_actor_graph(nodes, edges)
    assert projected.graph.ecount() == 3 and projected.skipped_evidence == []
    narrow = build_actor_graph(nodes, edges, max_shared_actors=2)
    assert narrow.graph.ecount() == 0 and narrow.skipped_evidence == [("phone", 3)]


def test_large_graphs_switch_to_sampled_betweenness():
    nodes, edges = two_country_network()
    sampled = critical_nodes_report(
        nodes, edges, ReportSettings(exact_betweenness_limit=5, betweenness_samples=8)
    )
    assert sampled.betweenness_method.startswith("estimated from 8 sampled source actors")
    assert "about" in entry(sampled, "bogdan").reason
