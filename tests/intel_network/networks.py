"""Small hand-built networks whose critical nodes are known in advance. All names are invented."""

from __future__ import annotations

import datetime as dt

from palermo.intel.network import EdgeRecord, NodeRecord


def person(node_id, country, *roles, label=None):
    return NodeRecord(
        id=node_id, kind="person", label=label or node_id, country=country, roles=tuple(sorted(roles))
    )


def tie(source, target, kind="communicates_with", date=None, **extra):
    return EdgeRecord(source=source, target=target, kind=kind, date=date, **extra)


def two_country_network() -> tuple[list[NodeRecord], list[EdgeRecord]]:
    """Two dense cells, one in RO and one in DE, joined only through the broker Bogdan.

    The RO cell has two recruiters (Ana and Alina, twins in function). Filip is the only document forger
    and the only tie of the two persons he supplies (so he is an articulation point). In DE, Greta
    directs the cell; a travel agency works with two of its members; one presumed victim is tied to the exploiter.
    """
    nodes = [
        person("ana", "RO", "RecruiterOrIntermediary", label="Ana"),
        person("alina", "RO", "RecruiterOrIntermediary", label="Alina"),
        person("radu", "RO", "Driver", label="Radu"),
        person("sorin", "RO", label="Sorin"),
        person("bogdan", "RO", "Broker", label="Bogdan"),
        person("filip", "RO", "DocumentForger", label="Filip"),
        person("ion", "RO", label="Ion"),
        person("mihai", "RO", label="Mihai"),
        person("greta", "DE", "Leader", label="Greta"),
        person("hans", "DE", "Exploiter", label="Hans"),
        person("karl", "DE", "MoneyHandler", label="Karl"),
        person("lena", "DE", label="Lena"),
        person("nora", "DE", "PresumedVictim", label="Nora"),
        NodeRecord(
            id="sunway",
            kind="organisation",
            label="Sunway Travel",
            country="DE",
            organisation_type="TravelAgency",
        ),
        NodeRecord(id="phone1", kind="selector", label="+40700000001"),
        NodeRecord(id="case1", kind="case", label="Case 1"),
    ]
    day = dt.date(2024, 3, 1)
    later = dt.date(2024, 9, 1)
    ro_cell = ["ana", "alina", "radu", "sorin", "bogdan"]
    de_cell = ["greta", "hans", "karl", "lena"]
    edges = [tie(a, b, date=day) for i, a in enumerate(ro_cell) for b in ro_cell[i + 1 :]]
    edges += [tie(a, b, date=later) for i, a in enumerate(de_cell) for b in de_cell[i + 1 :]]
    edges += [
        tie("bogdan", "greta", "communicates_with", date=later),
        tie("bogdan", "hans", "travelled_with", date=later),
        tie("filip", "radu", "supplied_documents_to", date=day),
        tie("filip", "ion", "supplied_documents_to", date=day),
        tie("filip", "mihai", "supplied_documents_to", date=day),
        tie("greta", "hans", "directs", date=later),
        tie("greta", "karl", "directs", date=later),
        tie("karl", "hans", "transfers_money", date=later, amount=1500.0, currency="EUR"),
        tie("hans", "nora", "directs", date=later),
        tie("sunway", "greta", "associated_with", date=later),
        tie("sunway", "lena", "associated_with", date=later),
        tie("ana", "phone1", "uses_selector", date=day),
        tie("alina", "phone1", "uses_selector"),
        tie("radu", "case1", "appears_in"),
        tie("sorin", "case1", "appears_in"),
    ]
    return nodes, edges
