"""Structural facts that inform the analyst's judgement of network type, and that dated judgement itself.

Network type (chain, hub, mesh, broker, flux) is an analyst's call made on a date, on the evidence then
held; the same measures fit several types, so the software states facts and never picks a label.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import igraph

from palermo.intel.network.report import NetworkAnalysis

_TYPES_FILE = Path(__file__).resolve().parent.parent / "data" / "network_types.json"


@cache
def network_types() -> dict[str, dict[str, str]]:
    """Code -> {label, look_for}, from data/network_types.json."""
    return json.loads(_TYPES_FILE.read_text(encoding="utf-8"))["types"]


@dataclass(frozen=True)
class StructuralProfile:
    actors: int
    ties: int
    density: float
    components: int
    largest_component_share: float
    degree_centralisation: float
    betweenness_centralisation: float
    betweenness_method: str
    diameter: int
    diameter_method: str
    transitivity: float
    communities: int
    modularity: float
    articulation_point_share: float
    facts: tuple[str, ...]


def _diameter(graph: igraph.Graph, exact_limit: int) -> tuple[int, str]:
    """Exact when small; otherwise a double-sweep BFS on the largest component (a lower bound, usually tight)."""
    if graph.vcount() <= exact_limit:
        return graph.diameter(directed=False, unconn=True), "exact"
    largest = graph.connected_components().giant()
    start = max(range(largest.vcount()), key=lambda v: (largest.degree(v), -v))
    distances = largest.distances(source=start)[0]
    far = max(range(len(distances)), key=lambda v: (distances[v], -v))
    return int(max(largest.distances(source=far)[0])), "estimated (double-sweep lower bound)"


def structural_profile(analysis: NetworkAnalysis, exact_limit: int = 5000) -> StructuralProfile:
    graph, m = analysis.actor_graph.graph, analysis.metrics
    n, ties = graph.vcount(), graph.ecount()
    density = 2 * ties / (n * (n - 1)) if n > 1 else 0.0
    degree_c = (n * max(m.degree) - sum(m.degree)) / ((n - 1) * (n - 2)) if n > 2 else 0.0
    star_betweenness = (n - 1) ** 2 * (n - 2) / 2
    betweenness_c = (n * max(m.betweenness) - sum(m.betweenness)) / star_betweenness if n > 2 else 0.0
    diameter, diameter_method = _diameter(graph, exact_limit) if ties else (0, "exact")
    largest_share = max(m.component_sizes) / n if n else 0.0
    communities = len(set(m.community))
    articulation_share = len(m.cut_vertices) / n if n else 0.0
    transitivity = graph.transitivity_undirected() if ties else 0.0
    transitivity = 0.0 if transitivity != transitivity else transitivity
    facts = (
        f"{n} actors and {ties} ties; density {density:.3f} (share of possible ties present)",
        f"{len(m.component_sizes)} connected part(s); the largest holds {largest_share:.0%} of actors",
        f"degree centralisation {degree_c:.2f} (1 = a single hub holds every tie, 0 = ties spread evenly)",
        f"betweenness centralisation {betweenness_c:.2f} (1 = every path runs through one actor); {m.betweenness_method}",
        f"diameter {diameter} steps ({diameter_method})",
        f"clustering (transitivity) {transitivity:.2f}: how often two contacts of an actor are tied themselves",
        f"{communities} communities, modularity {m.modularity:.2f} (above about 0.3: distinct cells)",
        f"{articulation_share:.0%} of actors are articulation points (removing one splits the network)",
    )
    return StructuralProfile(
        actors=n,
        ties=ties,
        density=density,
        components=len(m.component_sizes),
        largest_component_share=largest_share,
        degree_centralisation=degree_c,
        betweenness_centralisation=betweenness_c,
        betweenness_method=m.betweenness_method,
        diameter=diameter,
        diameter_method=diameter_method,
        transitivity=transitivity,
        communities=communities,
        modularity=m.modularity,
        articulation_point_share=articulation_share,
        facts=facts,
    )


@dataclass(frozen=True)
class NetworkTypeJudgement:
    """An analyst's dated judgement of network type, kept with the facts it was based on."""

    network_type: str
    analyst: str
    judged_on: dt.date
    rationale: str
    facts: tuple[str, ...]


def record_network_type_judgement(
    network_type: str,
    analyst: str,
    judged_on: dt.date,
    rationale: str,
    profile: StructuralProfile,
    today: dt.date | None = None,
) -> NetworkTypeJudgement:
    """Validate and freeze a judgement; raises ValueError naming every missing or wrong part."""
    problems = []
    if network_type not in network_types():
        problems.append(
            f"unknown network type {network_type!r} (expected one of {', '.join(sorted(network_types()))})"
        )
    if not analyst.strip():
        problems.append("the analyst making the judgement must be named")
    if not rationale.strip():
        problems.append("a judgement needs a rationale in the analyst's words")
    if judged_on > (today or dt.date.today()):
        problems.append(f"judgement date {judged_on.isoformat()} lies in the future")
    if problems:
        raise ValueError("; ".join(problems))
    return NetworkTypeJudgement(network_type, analyst.strip(), judged_on, rationale.strip(), profile.facts)
