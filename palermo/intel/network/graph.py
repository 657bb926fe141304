"""Build igraph graphs from records: the full evidence graph (for export) and the actor graph (for analysis).

Selectors, events, transactions and cases are evidence of ties, not actors. The analysis therefore runs
on persons and organisations only: two actors are tied when a record links them directly, or when they
share a piece of evidence (the same phone, the same case). Evidence shared by very many actors (a hotel
switchboard, a mass-arrest case) says little about who works with whom and would add a clique of
n*(n-1)/2 ties, so it is left out of the projection and listed, with its size, for the analyst.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import igraph

from palermo.intel.network.records import EdgeRecord, NodeRecord, is_actor, validate_network
from palermo.intel.network.vocabulary import load_vocabulary

DEFAULT_MAX_SHARED_ACTORS = 30


def build_graph(
    nodes: Sequence[NodeRecord], edges: Sequence[EdgeRecord], validate: bool = True
) -> igraph.Graph:
    """Directed multigraph with every record as given (edge direction as recorded), for export and display."""
    if validate:
        validate_network(nodes, edges)
    index = {node.id: position for position, node in enumerate(nodes)}
    graph = igraph.Graph(
        n=len(nodes), edges=[(index[e.source], index[e.target]) for e in edges], directed=True
    )
    graph.vs["name"] = [node.id for node in nodes]
    graph.vs["kind"] = [node.kind for node in nodes]
    graph.vs["label"] = [node.label for node in nodes]
    graph.vs["country"] = [node.country for node in nodes]
    graph.vs["roles"] = [";".join(node.roles) for node in nodes]
    graph.vs["is_legal_world"] = [node.is_legal_world for node in nodes]
    graph.vs["organisation_type"] = [node.organisation_type for node in nodes]
    graph.es["kind"] = [edge.kind for edge in edges]
    graph.es["date"] = [edge.date.isoformat() if edge.date else "" for edge in edges]
    graph.es["weight"] = [float(edge.weight) for edge in edges]
    graph.es["amount"] = [math.nan if edge.amount is None else float(edge.amount) for edge in edges]
    graph.es["currency"] = [edge.currency for edge in edges]
    return graph


@dataclass
class ActorGraph:
    """Undirected simple graph of persons and organisations; vertex i is actors[i]."""

    graph: igraph.Graph
    actors: list[NodeRecord]
    index: dict[str, int]
    directs: dict[int, set[int]]
    skipped_evidence: list[tuple[str, int]]

    def label(self, vertex: int) -> str:
        actor = self.actors[vertex]
        return actor.label or actor.id


def build_actor_graph(
    nodes: Sequence[NodeRecord],
    edges: Sequence[EdgeRecord],
    max_shared_actors: int = DEFAULT_MAX_SHARED_ACTORS,
    validate: bool = True,
) -> ActorGraph:
    """Project the records onto actors; tie weight is the sum of direct weights plus one per shared evidence."""
    if validate:
        validate_network(nodes, edges)
    vocabulary = load_vocabulary()
    actors = [node for node in nodes if is_actor(node, vocabulary)]
    index = {actor.id: position for position, actor in enumerate(actors)}
    weights: dict[tuple[int, int], float] = defaultdict(float)
    evidence_actors: dict[str, set[int]] = defaultdict(set)
    directs: dict[int, set[int]] = defaultdict(set)
    for edge in edges:
        source, target = index.get(edge.source), index.get(edge.target)
        if source is not None and target is not None:
            weights[(source, target) if source < target else (target, source)] += edge.weight
            if edge.kind in vocabulary.leadership_edge_kinds:
                directs[source].add(target)
        elif source is not None:
            evidence_actors[edge.target].add(source)
        elif target is not None:
            evidence_actors[edge.source].add(target)
    skipped: list[tuple[str, int]] = []
    for evidence_id, members in evidence_actors.items():
        if len(members) > max_shared_actors:
            skipped.append((evidence_id, len(members)))
            continue
        ordered = sorted(members)
        for position, first in enumerate(ordered):
            for second in ordered[position + 1 :]:
                weights[(first, second)] += 1.0
    graph = igraph.Graph(n=len(actors), edges=list(weights), directed=False)
    graph.es["weight"] = list(weights.values())
    return ActorGraph(
        graph, actors, index, dict(directs), sorted(skipped, key=lambda item: (-item[1], item[0]))
    )
