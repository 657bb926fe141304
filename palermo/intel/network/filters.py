"""Filters by time window, country and role: pure functions over records, so the UI can call them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from palermo.intel.network.records import EdgeRecord, NodeRecord, is_actor

Records = tuple[list[NodeRecord], list[EdgeRecord]]


@dataclass(frozen=True)
class NetworkFilter:
    """What an analyst asked to see. Empty countries/roles and open dates mean no restriction."""

    start: dt.date | None = None
    end: dt.date | None = None
    include_undated: bool = True
    countries: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    include_neighbours: bool = True


def filter_by_time(
    nodes: Sequence[NodeRecord],
    edges: Sequence[EdgeRecord],
    start: dt.date | None = None,
    end: dt.date | None = None,
    include_undated: bool = True,
) -> Records:
    """Keep ties dated within [start, end] (inclusive) and the nodes they touch; isolated nodes drop out."""

    def in_window(edge: EdgeRecord) -> bool:
        if edge.date is None:
            return include_undated
        return (start is None or edge.date >= start) and (end is None or edge.date <= end)

    kept_edges = [edge for edge in edges if in_window(edge)]
    touched = {end_id for edge in kept_edges for end_id in (edge.source, edge.target)}
    return [node for node in nodes if node.id in touched], kept_edges


def _restrict_to(
    nodes: Sequence[NodeRecord], edges: Sequence[EdgeRecord], seeds: set[str], include_neighbours: bool
) -> Records:
    """Keep the seed nodes, their evidence nodes (selectors, events...), optionally all their neighbours."""
    by_id = {node.id: node for node in nodes}
    kept = set(seeds)
    for edge in edges:
        for here, there in ((edge.source, edge.target), (edge.target, edge.source)):
            if here in seeds and there not in kept:
                if include_neighbours or not is_actor(by_id[there]):
                    kept.add(there)
    kept_edges = [edge for edge in edges if edge.source in kept and edge.target in kept]
    return [node for node in nodes if node.id in kept], kept_edges


def filter_by_countries(
    nodes: Sequence[NodeRecord],
    edges: Sequence[EdgeRecord],
    countries: Collection[str],
    include_neighbours: bool = False,
) -> Records:
    """Actors in the given countries, the evidence attached to them, and (optionally) their foreign ties."""
    wanted = {country.upper() for country in countries}
    seeds = {node.id for node in nodes if node.country in wanted}
    return _restrict_to(nodes, edges, seeds, include_neighbours)


def filter_by_roles(
    nodes: Sequence[NodeRecord],
    edges: Sequence[EdgeRecord],
    roles: Collection[str],
    include_neighbours: bool = True,
) -> Records:
    """Holders of any of the roles; with neighbours by default, since a role is seen through its ties."""
    wanted = set(roles)
    seeds = {node.id for node in nodes if wanted.intersection(node.roles)}
    return _restrict_to(nodes, edges, seeds, include_neighbours)


def apply_filter(nodes: Sequence[NodeRecord], edges: Sequence[EdgeRecord], wanted: NetworkFilter) -> Records:
    """Time window first (it decides which ties exist), then country, then role."""
    selected: Records = (list(nodes), list(edges))
    if wanted.start or wanted.end or not wanted.include_undated:
        selected = filter_by_time(*selected, wanted.start, wanted.end, wanted.include_undated)
    if wanted.countries:
        selected = filter_by_countries(*selected, wanted.countries, wanted.include_neighbours)
    if wanted.roles:
        selected = filter_by_roles(*selected, wanted.roles, wanted.include_neighbours)
    return selected
