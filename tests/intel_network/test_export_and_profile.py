import datetime as dt
import io
import math

import igraph
import pytest
from networks import person, tie, two_country_network

from palermo.intel.network import analyse, critical_nodes_report
from palermo.intel.network.export import (
    cytoscape_elements,
    export_csv,
    read_edges_csv,
    read_nodes_csv,
    write_graphml,
)
from palermo.intel.network.profile import network_types, record_network_type_judgement, structural_profile


def test_graphml_round_trips_through_igraph(tmp_path):
    nodes, edges = two_country_network()
    path = tmp_path / "network.graphml"
    write_graphml(nodes, edges, path)
    graph = igraph.Graph.Read_GraphML(str(path))
    assert graph.is_directed()
    assert graph.vs["name"] == [n.id for n in nodes]
    assert graph.vs.find(name="filip")["roles"] == "DocumentForger"
    assert graph.vs.find(name="sunway")["organisation_type"] == "TravelAgency"
    money = graph.es.find(kind="transfers_money")
    assert (graph.vs[money.source]["name"], graph.vs[money.target]["name"]) == ("karl", "hans")
    assert money["amount"] == 1500.0 and money["currency"] == "EUR" and money["date"] == "2024-09-01"
    assert math.isnan(graph.es.find(kind="uses_selector")["amount"])


def test_graphml_to_an_open_file():
    nodes, edges = two_country_network()
    buffer = io.BytesIO()
    write_graphml(nodes, edges, buffer)
    assert b"<graphml" in buffer.getvalue()


def test_csv_round_trips_records(tmp_path):
    nodes, edges = two_country_network()
    nodes_path, edges_path = export_csv(nodes, edges, tmp_path / "out")
    assert read_nodes_csv(nodes_path.open(encoding="utf-8")) == nodes
    assert read_edges_csv(edges_path.open(encoding="utf-8")) == edges
    assert (
        nodes_path.read_text(encoding="utf-8").splitlines()[0]
        == "id,kind,label,country,roles,is_legal_world,organisation_type"
    )


def test_cytoscape_elements_mark_critical_nodes_with_their_reason():
    nodes, edges = two_country_network()
    elements = cytoscape_elements(nodes, edges, critical_nodes_report(nodes, edges))
    forger = next(e for e in elements if e["data"].get("id") == "filip")
    assert "critical" in forger["classes"] and "Document forger" in forger["data"]["reason"]
    victim = next(e for e in elements if e["data"].get("id") == "nora")
    assert "critical" not in victim["classes"]
    assert sum(1 for e in elements if e["group"] == "edges") == len(edges)


def test_structural_profile_of_a_star_states_facts_not_a_type():
    nodes = [person(f"p{i}", "RO") for i in range(6)]
    edges = [tie("p0", f"p{i}") for i in range(1, 6)]
    profile = structural_profile(analyse(nodes, edges))
    assert profile.degree_centralisation == pytest.approx(1.0)
    assert profile.betweenness_centralisation == pytest.approx(1.0)
    assert profile.diameter == 2 and profile.articulation_point_share == pytest.approx(1 / 6)
    assert not any(
        label["label"].lower() in " ".join(profile.facts).lower() for label in network_types().values()
    )


def test_network_type_is_a_dated_analyst_judgement():
    profile = structural_profile(analyse(*two_country_network()))
    judgement = record_network_type_judgement(
        "broker", "Analyst 7", dt.date(2024, 10, 1), "Two cells, one broker.", profile
    )
    assert judgement.facts == profile.facts and judgement.judged_on == dt.date(2024, 10, 1)
    with pytest.raises(ValueError) as raised:
        record_network_type_judgement(
            "pyramid", " ", dt.date(2999, 1, 1), "", profile, today=dt.date(2024, 10, 1)
        )
    for expected in ("unknown network type 'pyramid'", "must be named", "needs a rationale", "in the future"):
        assert expected in str(raised.value)
