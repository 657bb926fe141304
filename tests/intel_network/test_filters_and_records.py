import datetime as dt

import pytest
from networks import person, tie, two_country_network

from palermo.intel.network import (
    EdgeRecord,
    NetworkFilter,
    NetworkValidationError,
    NodeRecord,
    apply_filter,
    filter_by_countries,
    filter_by_roles,
    filter_by_time,
    validate_network,
)


def ids(records):
    return {record.id for record in records}


def test_time_window_keeps_ties_inside_and_drops_nodes_left_without_ties():
    nodes, edges = two_country_network()
    kept_nodes, kept_edges = filter_by_time(
        nodes, edges, dt.date(2024, 8, 1), dt.date(2024, 12, 31), include_undated=False
    )
    assert all(dt.date(2024, 8, 1) <= e.date <= dt.date(2024, 12, 31) for e in kept_edges)
    assert "filip" not in ids(kept_nodes)  # his ties date from March
    assert {"greta", "bogdan", "sunway"} <= ids(kept_nodes)
    assert "case1" not in ids(kept_nodes)  # undated evidence excluded on request
    _, with_undated = filter_by_time(nodes, edges, dt.date(2024, 8, 1), None)
    assert any(e.date is None for e in with_undated)


def test_country_filter_keeps_attached_evidence_and_optionally_foreign_contacts():
    nodes, edges = two_country_network()
    ro_nodes, ro_edges = filter_by_countries(nodes, edges, ["ro"])
    assert "phone1" in ids(ro_nodes) and "case1" in ids(ro_nodes)
    assert not {"greta", "hans", "sunway"} & ids(ro_nodes)
    assert all(e.source in ids(ro_nodes) and e.target in ids(ro_nodes) for e in ro_edges)
    wider, _ = filter_by_countries(nodes, edges, ["RO"], include_neighbours=True)
    assert {"greta", "hans"} <= ids(wider) and "karl" not in ids(wider)


def test_role_filter_shows_role_holders_with_or_without_their_contacts():
    nodes, edges = two_country_network()
    only, only_edges = filter_by_roles(nodes, edges, ["DocumentForger"], include_neighbours=False)
    assert ids(only) == {"filip"} and only_edges == []
    with_contacts, _ = filter_by_roles(nodes, edges, ["DocumentForger"])
    assert ids(with_contacts) == {"filip", "radu", "ion", "mihai"}


def test_filters_compose_time_then_country_then_role():
    nodes, edges = two_country_network()
    wanted = NetworkFilter(
        start=dt.date(2024, 9, 1), countries=frozenset({"DE"}), roles=frozenset({"Leader"})
    )
    kept, _ = apply_filter(nodes, edges, wanted)
    # Bogdan (RO) is a foreign contact of the DE cell, kept because neighbours are included by default.
    assert ids(kept) == {"greta", "hans", "karl", "lena", "sunway", "bogdan"}
    narrow, _ = apply_filter(
        nodes, edges, NetworkFilter(countries=frozenset({"DE"}), include_neighbours=False)
    )
    assert "bogdan" not in ids(narrow) and "nora" in ids(narrow)
    assert apply_filter(nodes, edges, NetworkFilter()) == (nodes, edges)


def test_validation_lists_every_problem():
    nodes = [person("a", "RO", "Wizard"), person("a", "RO"), NodeRecord(id="x", kind="planet")]
    edges = [tie("a", "ghost", "haunts"), EdgeRecord("a", "a", "communicates_with", weight=0)]
    with pytest.raises(NetworkValidationError) as raised:
        validate_network(nodes, edges)
    problems = " | ".join(raised.value.problems)
    for expected in (
        "unknown role 'Wizard'",
        "'a' appears twice",
        "unknown kind 'planet'",
        "missing node 'ghost'",
        "unknown kind 'haunts'",
        "links a node to itself",
        "weight 0",
    ):
        assert expected in problems


def test_records_from_plain_mappings():
    node = NodeRecord.from_mapping(
        {"id": 7, "kind": "person", "country": "ro", "roles": "Driver;Broker", "is_legal_world": "no"}
    )
    assert node == NodeRecord(id="7", kind="person", country="RO", roles=("Broker", "Driver"))
    edge = EdgeRecord.from_mapping(
        {"source": 7, "target": 8, "kind": "transfers_money", "date": "2024-05-02T10:00", "amount": "250"}
    )
    assert edge.date == dt.date(2024, 5, 2) and edge.amount == 250.0 and edge.weight == 1.0
