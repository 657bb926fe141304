"""Critical-nodes report: who matters to the network, why, and whether someone else could take their place.

The five kinds follow the criminal-network literature (Bright, Greenhill & Reynolds 2015; Malm & Bichler
2011; Morselli 2009, 2010): leadership, high degree, high betweenness, boundary spanners (across borders or
into the legal world) and substantive roles. Only persons and organisations are candidates; anyone holding
a victim, witness or reporter role stays in the graph (paths run through them) but is never proposed.
Every entry carries a plain-language reason and its redundancy, because removing a replaceable actor
achieves little.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from palermo.intel.network.graph import DEFAULT_MAX_SHARED_ACTORS, ActorGraph, build_actor_graph
from palermo.intel.network.metrics import (
    DEFAULT_BETWEENNESS_SAMPLES,
    DEFAULT_EXACT_BETWEENNESS_LIMIT,
    DEFAULT_SEED,
    ActorMetrics,
    Brokerage,
    Progress,
    brokerage,
    compute_metrics,
    cut_off_members,
    rank_of,
    top_vertices,
)
from palermo.intel.network.records import EdgeRecord, NodeRecord, is_legal_world
from palermo.intel.network.vocabulary import NetworkVocabulary, load_vocabulary

KIND_ORDER = ("leadership", "high_degree", "high_betweenness", "boundary_spanner", "substantive_role")
REDUNDANCY_LEVELS = ("none", "low", "high")


@dataclass(frozen=True)
class ReportSettings:
    """Thresholds of the report. Structural kinds take at most top_n actors standing z_threshold SDs out."""

    top_n: int = 10
    z_threshold: float = 1.0
    max_per_kind: int = 25
    min_countries: int = 2
    max_bridges: int = 25
    max_shared_actors: int = DEFAULT_MAX_SHARED_ACTORS
    exact_betweenness_limit: int = DEFAULT_EXACT_BETWEENNESS_LIMIT
    betweenness_samples: int = DEFAULT_BETWEENNESS_SAMPLES
    seed: int = DEFAULT_SEED


@dataclass(frozen=True)
class Redundancy:
    """How replaceable an actor is: 'none' (nobody else fills the place), 'low' (one other), 'high'."""

    level: str
    is_articulation_point: bool
    cut_off_actors: int
    alternatives: tuple[str, ...]
    explanation: str


@dataclass(frozen=True)
class CriticalNode:
    node_id: str
    label: str
    node_kind: str
    country: str
    roles: tuple[str, ...]
    kinds: tuple[str, ...]
    reasons: tuple[str, ...]
    redundancy: Redundancy
    community: int
    degree: int
    betweenness: float
    eigenvector: float
    constraint: float
    effective_size: float
    brokerage: Brokerage

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


@dataclass(frozen=True)
class BridgeTie:
    """A tie whose removal splits its component; smaller_side actors would be cut off."""

    source_id: str
    target_id: str
    smaller_side: int
    larger_side: int


@dataclass(frozen=True)
class CriticalNodesReport:
    entries: tuple[CriticalNode, ...]
    actor_count: int
    tie_count: int
    community_count: int
    modularity: float
    betweenness_method: str
    bridges: tuple[BridgeTie, ...]
    skipped_evidence: tuple[tuple[str, int], ...]
    settings: ReportSettings = field(default_factory=ReportSettings)

    def as_dict(self) -> dict:
        """JSON-ready form for the API and the UI."""
        data = asdict(self)
        for entry, original in zip(data["entries"], self.entries, strict=True):
            entry["reason"] = original.reason
        return data


@dataclass
class NetworkAnalysis:
    """The actor graph and its measures, computed once and shared by the report and the profile."""

    actor_graph: ActorGraph
    metrics: ActorMetrics


def analyse(
    nodes: Sequence[NodeRecord],
    edges: Sequence[EdgeRecord],
    settings: ReportSettings | None = None,
    progress: Progress | None = None,
) -> NetworkAnalysis:
    settings = settings or ReportSettings()
    actor_graph = build_actor_graph(nodes, edges, max_shared_actors=settings.max_shared_actors)
    metrics = compute_metrics(
        actor_graph,
        exact_betweenness_limit=settings.exact_betweenness_limit,
        betweenness_samples=settings.betweenness_samples,
        seed=settings.seed,
        progress=progress,
    )
    return NetworkAnalysis(actor_graph, metrics)


def critical_nodes_report(
    nodes: Sequence[NodeRecord],
    edges: Sequence[EdgeRecord],
    settings: ReportSettings | None = None,
    progress: Progress | None = None,
) -> CriticalNodesReport:
    """Validate the records, analyse the actor graph and report its critical nodes."""
    settings = settings or ReportSettings()
    return report_from_analysis(analyse(nodes, edges, settings, progress), settings)


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _names(actor_graph: ActorGraph, vertices: Sequence[int], limit: int = 3) -> str:
    shown = ", ".join(actor_graph.label(v) for v in vertices[:limit])
    return shown + (f" and {len(vertices) - limit} more" if len(vertices) > limit else "")


class _ReportBuilder:
    """Holds the lookups that several kinds and the redundancy assessment share."""

    def __init__(self, analysis: NetworkAnalysis, settings: ReportSettings, vocabulary: NetworkVocabulary):
        self.ag = analysis.actor_graph
        self.m = analysis.metrics
        self.settings = settings
        self.vocabulary = vocabulary
        self.graph = self.ag.graph
        actors = self.ag.actors
        self.country = [actor.country for actor in actors]
        self.legal = [is_legal_world(actor, vocabulary) for actor in actors]
        self.eligible_set = {
            v for v, actor in enumerate(actors) if not vocabulary.not_a_target_roles.intersection(actor.roles)
        }
        self.eligible = sorted(self.eligible_set)
        self.role_places: dict[tuple[str, int], list[int]] = defaultdict(list)
        self.role_anywhere: Counter[str] = Counter()
        for v in range(len(actors)):
            for place in self._places(v):
                self.role_places[(place, self.m.community[v])].append(v)
                self.role_anywhere[place] += 1
        self.border_pairs: dict[tuple[str, str], set[int]] = defaultdict(set)
        for u, v in self.graph.get_edgelist():
            a, b = self.country[u], self.country[v]
            if a and b and a != b:
                pair = (a, b) if a < b else (b, a)
                self.border_pairs[pair].update((u, v))

    def _places(self, v: int) -> list[str]:
        """Roles someone else could take over: substantive and leading roles, and legal-world business types."""
        actor = self.ag.actors[v]
        places = [
            r
            for r in actor.roles
            if r in self.vocabulary.substantive_roles or r in self.vocabulary.leadership_roles
        ]
        if self.legal[v] and actor.organisation_type:
            places.append(f"organisation:{actor.organisation_type}")
        return places

    def _directed_actors(self, v: int) -> list[int]:
        """Network members v directs; directing a victim is control, not leadership of the network."""
        return sorted(u for u in self.ag.directs.get(v, ()) if u in self.eligible_set)

    def _place_label(self, place: str) -> str:
        if place.startswith("organisation:"):
            code = place.split(":", 1)[1]
            return self.vocabulary.organisation_type_labels.get(code, code)
        return self.vocabulary.role_label(place)

    # --- the five kinds -------------------------------------------------------------------------------

    def leadership(self) -> dict[int, str]:
        found = [
            v
            for v in self.eligible
            if self.vocabulary.leadership_roles.intersection(self.ag.actors[v].roles)
            or self._directed_actors(v)
        ]
        found.sort(key=lambda v: (-self.m.eigenvector[v], v))
        reasons = {}
        n = self.graph.vcount()
        for v in found[: self.settings.max_per_kind]:
            parts = [
                f"holds the role {self.vocabulary.role_label(role)}"
                for role in self.ag.actors[v].roles
                if role in self.vocabulary.leadership_roles
            ]
            directed = self._directed_actors(v)
            if directed:
                parts.append(f"directs {_plural(len(directed), 'actor')} ({_names(self.ag, directed)})")
            parts.append(f"eigenvector centrality rank {rank_of(self.m.eigenvector, v)} of {n}")
            reasons[v] = "leadership: " + ", ".join(parts)
        return reasons

    def high_degree(self) -> dict[int, str]:
        n = self.graph.vcount()
        chosen = top_vertices(self.m.degree, self.eligible, self.settings.top_n, self.settings.z_threshold)
        return {
            v: f"high degree: tied to {_plural(self.m.degree[v], 'actor')} (rank {rank_of(self.m.degree, v)} of {n})"
            for v in chosen
        }

    def high_betweenness(self) -> dict[int, str]:
        n = self.graph.vcount()
        chosen = top_vertices(
            self.m.betweenness, self.eligible, self.settings.top_n, self.settings.z_threshold
        )
        approximate = "" if self.m.betweenness_method.startswith("exact") else "about "
        reasons = {}
        for v in chosen:
            size = self.m.component_sizes[self.m.component[v]]
            pairs = (size - 1) * (size - 2) / 2
            share = min(1.0, self.m.betweenness[v] / pairs) if pairs else 0.0
            reasons[v] = (
                f"high betweenness: lies on {approximate}{share:.0%} of shortest paths between other actors "
                f"of its component of {size} (rank {rank_of(self.m.betweenness, v)} of {n})"
            )
        return reasons

    def boundary_spanners(self) -> dict[int, str]:
        reasons: dict[int, str] = {}
        spanning = []
        for v in self.eligible:
            neighbour_countries = {self.country[u] for u in self.graph.neighbors(v) if self.country[u]}
            countries = neighbour_countries | ({self.country[v]} if self.country[v] else set())
            if len(countries) >= self.settings.min_countries and neighbour_countries - {self.country[v]}:
                spanning.append((v, sorted(countries)))
        spanning.sort(key=lambda item: (-len(item[1]), -self.m.betweenness[item[0]], item[0]))
        for v, countries in spanning[: self.settings.max_per_kind]:
            reasons[v] = (
                f"boundary spanner: connects {_plural(len(countries), 'country', 'countries')} ({', '.join(countries)})"
            )
            brokered = brokerage(self.graph, v, self.country)
            across = brokered.liaison + brokered.gatekeeper_or_representative
            if across:
                reasons[v] += (
                    f", brokers between {_plural(across, 'pair')} of contacts in different countries not tied to each other"
                )
        legal = []
        for v in self.eligible:
            if self.legal[v]:
                network_ties = [u for u in self.graph.neighbors(v) if not self.legal[u]]
                if network_ties:
                    legal.append((v, network_ties))
        legal.sort(key=lambda item: (-len(item[1]), item[0]))
        for v, ties in legal[: self.settings.max_per_kind]:
            what = [self._place_label(p) for p in self._places(v)] or ["flagged as legal world"]
            text = f"boundary spanner into the legal world ({', '.join(what)}): tied to {_plural(len(ties), 'actor')} of the network"
            reasons[v] = f"{reasons[v]}; {text}" if v in reasons else text
        return reasons

    def substantive_roles(self) -> dict[int, str]:
        holders = []
        for v in self.eligible:
            roles = [r for r in self.ag.actors[v].roles if r in self.vocabulary.substantive_roles]
            if roles:
                fewest = min(len(self.role_places[(r, self.m.community[v])]) - 1 for r in roles)
                holders.append((v, roles, fewest))
        holders.sort(key=lambda item: (item[2], -self.m.betweenness[item[0]], item[0]))
        return {
            v: "substantive role: " + ", ".join(self.vocabulary.role_label(r) for r in roles)
            for v, roles, _ in holders[: self.settings.max_per_kind]
        }

    # --- redundancy ------------------------------------------------------------------------------------

    def redundancy(self, v: int) -> Redundancy:
        counts: list[int] = []
        notes: list[str] = []
        alternatives: set[int] = set()
        info = self.m.cut_vertices.get(v)
        if info:
            members = cut_off_members(self.graph, v, info)
            roles = Counter(self.vocabulary.role_label(r) for u in members for r in self.ag.actors[u].roles)
            role_text = ", ".join(f"{count} {label}" for label, count in sorted(roles.items()))
            notes.append(
                f"articulation point: removing this actor cuts off {_plural(len(members), 'actor')}"
                + (f" (including {role_text})" if role_text else "")
                + f" from the rest of its component of {info.component_size}"
            )
            counts.append(0)
        else:
            notes.append("not a cut point: its component stays connected without it")
        community = self.m.community[v]
        for place in self._places(v):
            others = [u for u in self.role_places[(place, community)] if u != v]
            elsewhere = self.role_anywhere[place] - len(others) - 1
            label = self._place_label(place)
            if others:
                notes.append(
                    f"{_plural(len(others), 'other')} {label} in its community ({_names(self.ag, others)})"
                )
            else:
                notes.append(
                    f"no other {label} in its community"
                    + (
                        f" ({elsewhere} elsewhere in the network)"
                        if elsewhere
                        else " or anywhere in the network"
                    )
                )
            counts.append(len(others))
            alternatives.update(others)
        own = self.country[v]
        if own:
            foreign = sorted(
                {
                    self.country[u]
                    for u in self.graph.neighbors(v)
                    if self.country[u] and self.country[u] != own
                }
            )
            for other in foreign:
                pair = (own, other) if own < other else (other, own)
                others = sorted(self.border_pairs[pair] - {v})
                substitutes = [u for u in others if self.country[u] == own]
                notes.append(
                    f"the only actor in {own} tied to {other}"
                    if not substitutes
                    else f"{_plural(len(substitutes), 'other actor')} in {own} also tied to {other}"
                )
                counts.append(len(substitutes))
                alternatives.update(substitutes)
        fewest = min(counts) if counts else 2
        level = REDUNDANCY_LEVELS[min(fewest, 2)]
        return Redundancy(
            level=level,
            is_articulation_point=info is not None,
            cut_off_actors=info.cut_off if info else 0,
            alternatives=tuple(sorted(self.ag.actors[u].id for u in alternatives)[:20]),
            explanation="; ".join(notes),
        )


def report_from_analysis(
    analysis: NetworkAnalysis, settings: ReportSettings | None = None
) -> CriticalNodesReport:
    settings = settings or ReportSettings()
    vocabulary = load_vocabulary()
    builder = _ReportBuilder(analysis, settings, vocabulary)
    found: dict[int, dict[str, str]] = defaultdict(dict)
    for kind, reasons in zip(
        KIND_ORDER,
        (
            builder.leadership(),
            builder.high_degree(),
            builder.high_betweenness(),
            builder.boundary_spanners(),
            builder.substantive_roles(),
        ),
        strict=True,
    ):
        for v, reason in reasons.items():
            found[v][kind] = reason
    m = analysis.metrics
    ag = analysis.actor_graph
    group = [actor.country for actor in ag.actors]
    entries = []
    for v, kinds in found.items():
        actor = ag.actors[v]
        redundancy = builder.redundancy(v)
        entries.append(
            CriticalNode(
                node_id=actor.id,
                label=ag.label(v),
                node_kind=actor.kind,
                country=actor.country,
                roles=actor.roles,
                kinds=tuple(kind for kind in KIND_ORDER if kind in kinds),
                reasons=tuple(kinds[kind] for kind in KIND_ORDER if kind in kinds),
                redundancy=redundancy,
                community=m.community[v],
                degree=m.degree[v],
                betweenness=m.betweenness[v],
                eigenvector=m.eigenvector[v],
                constraint=m.constraint[v],
                effective_size=m.effective_size[v],
                brokerage=brokerage(ag.graph, v, group),
            )
        )
    entries.sort(
        key=lambda e: (
            REDUNDANCY_LEVELS.index(e.redundancy.level),
            -len(e.kinds),
            -e.betweenness,
            -e.degree,
            e.node_id,
        )
    )
    bridges = sorted(
        (
            BridgeTie(ag.actors[u].id, ag.actors[v].id, min(a, b), max(a, b))
            for u, v, a, b in m.bridges
            if min(a, b) >= 2
        ),
        key=lambda bridge: (-bridge.smaller_side, bridge.source_id, bridge.target_id),
    )
    return CriticalNodesReport(
        entries=tuple(entries),
        actor_count=ag.graph.vcount(),
        tie_count=ag.graph.ecount(),
        community_count=len(set(m.community)),
        modularity=m.modularity,
        betweenness_method=m.betweenness_method,
        bridges=tuple(bridges[: settings.max_bridges]),
        skipped_evidence=tuple(ag.skipped_evidence),
        settings=settings,
    )
