"""Centrality, brokerage, cut-vertex and community measures on the actor graph.

Betweenness counts hops, not weights: tie weights here measure strength (how often two actors are seen
together), and turning strength into a path length is an arbitrary choice that would move the result.
Exact betweenness (Brandes) costs one shortest-path search per actor; above `exact_betweenness_limit`
actors we estimate it from a fixed-seed random sample of source actors (Brandes & Pich 2007), scaled by
n/k. Sampling is unbiased and keeps long cross-border paths; a path-length cutoff would be cheaper to
explain but systematically drops exactly the long-range brokerage an analyst is looking for.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass

import igraph

from palermo.intel.network.graph import ActorGraph

DEFAULT_EXACT_BETWEENNESS_LIMIT = 5000
DEFAULT_BETWEENNESS_SAMPLES = 256
DEFAULT_SEED = 20240917

Progress = Callable[[str, int, int], None]


@dataclass
class CutVertexInfo:
    """What removing an articulation point does to its connected component."""

    component_size: int
    pieces: list[int]

    @property
    def cut_off(self) -> int:
        """Actors separated from the largest remaining piece."""
        return self.component_size - 1 - max(self.pieces)


@dataclass
class ActorMetrics:
    degree: list[int]
    strength: list[float]
    betweenness: list[float]
    betweenness_method: str
    eigenvector: list[float]
    constraint: list[float]
    effective_size: list[float]
    community: list[int]
    modularity: float
    component: list[int]
    component_sizes: list[int]
    cut_vertices: dict[int, CutVertexInfo]
    bridges: list[tuple[int, int, int, int]]


@contextmanager
def seeded_igraph(seed: int):
    """igraph draws from one global generator; seed it for a call and put the previous one back."""
    previous = random.getstate()
    igraph.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)
        random.setstate(previous)


def betweenness(graph: igraph.Graph, exact_limit: int, samples: int, seed: int) -> tuple[list[float], str]:
    n = graph.vcount()
    if n <= exact_limit:
        return graph.betweenness(directed=False), "exact (Brandes), hop counts"
    sources = sorted(random.Random(seed).sample(range(n), samples))
    scale = n / samples
    estimate = [value * scale for value in graph.betweenness(directed=False, sources=sources)]
    return estimate, f"estimated from {samples} sampled source actors (seed {seed}), hop counts"


def effective_sizes(graph: igraph.Graph, degree: list[int]) -> list[float]:
    """Burt's effective size, unweighted: n - 2t/n, with t ties among the n contacts (Borgatti 1997)."""
    clustering = graph.transitivity_local_undirected(mode="zero")
    return [d - c * (d - 1) if d else 0.0 for d, c in zip(degree, clustering, strict=True)]


def communities(graph: igraph.Graph, seed: int) -> tuple[list[int], float]:
    """Leiden (modularity, weighted, fixed seed); numbered by size, then by lowest vertex, so ids are stable."""
    if graph.ecount() == 0:
        return list(range(graph.vcount())), 0.0
    with seeded_igraph(seed):
        clustering = graph.community_leiden(
            objective_function="modularity", weights="weight", n_iterations=-1
        )
    raw = clustering.membership
    members: dict[int, list[int]] = defaultdict(list)
    for vertex, label in enumerate(raw):
        members[label].append(vertex)
    order = sorted(members, key=lambda label: (-len(members[label]), members[label][0]))
    renumber = {label: position for position, label in enumerate(order)}
    return [renumber[label] for label in raw], graph.modularity(raw, weights="weight")


def cut_structure(
    graph: igraph.Graph, component: list[int], component_sizes: list[int]
) -> tuple[dict[int, CutVertexInfo], list[tuple[int, int, int, int]]]:
    """Pieces left by removing each articulation point, and both side sizes of each bridge.

    Uses the block-cut tree: blocks (biconnected components) and articulation points alternate; rooted at a
    block, each articulation point's child subtrees are the pieces below it and the rest of its component
    is the piece above. Linear in the size of the graph, so it runs on the 1M-tie benchmark too.
    """
    blocks, articulation = graph.biconnected_components(return_articulation_points=True)
    blocks = [list(block) for block in blocks]
    is_cut = set(articulation)
    blocks_of_cut: dict[int, list[int]] = defaultdict(list)
    for block_id, block in enumerate(blocks):
        for vertex in block:
            if vertex in is_cut:
                blocks_of_cut[vertex].append(block_id)
    # Tree nodes: ("b", block_id) and ("a", vertex). Iterative DFS from one block per component.
    subtree: dict[tuple[str, int], int] = {}
    parent: dict[tuple[str, int], tuple[str, int] | None] = {}
    children: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    for block_id in range(len(blocks)):
        root = ("b", block_id)
        if root in parent:
            continue
        parent[root] = None
        order, stack = [], [root]
        while stack:
            node = stack.pop()
            order.append(node)
            kind, ident = node
            neighbours = (
                [("a", v) for v in blocks[ident] if v in is_cut]
                if kind == "b"
                else [("b", b) for b in blocks_of_cut[ident]]
            )
            for neighbour in neighbours:
                if neighbour != parent[node] and neighbour not in parent:
                    parent[neighbour] = node
                    children[node].append(neighbour)
                    stack.append(neighbour)
        for node in reversed(order):
            kind, ident = node
            own = 1 if kind == "a" else sum(1 for v in blocks[ident] if v not in is_cut)
            subtree[node] = own + sum(subtree[child] for child in children[node])
    cut_vertices: dict[int, CutVertexInfo] = {}
    for vertex in articulation:
        size = component_sizes[component[vertex]]
        below = [subtree[child] for child in children[("a", vertex)]]
        above = size - 1 - sum(below)
        cut_vertices[vertex] = CutVertexInfo(size, sorted([*below, above] if above else below, reverse=True))
    pair_blocks = {frozenset(block): block_id for block_id, block in enumerate(blocks) if len(block) == 2}
    bridges: list[tuple[int, int, int, int]] = []
    for edge_id in graph.bridges():
        u, v = sorted(graph.es[edge_id].tuple)
        size = component_sizes[component[u]]
        node = ("b", pair_blocks[frozenset((u, v))])
        above = parent[node]
        if above is None:
            side_u = subtree[("a", u)] if u in is_cut else 1
        elif above[1] == u:
            side_u = size - subtree[node]
        else:
            side_u = subtree[node]
        bridges.append((u, v, side_u, size - side_u))
    return cut_vertices, sorted(bridges)


def compute_metrics(
    actor_graph: ActorGraph,
    exact_betweenness_limit: int = DEFAULT_EXACT_BETWEENNESS_LIMIT,
    betweenness_samples: int = DEFAULT_BETWEENNESS_SAMPLES,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> ActorMetrics:
    """Every whole-graph measure the critical-nodes report needs, each computed once."""
    graph = actor_graph.graph
    steps = ["degree", "betweenness", "eigenvector", "constraint", "communities", "cut vertices"]

    def step(number: int) -> None:
        if progress:
            progress(steps[number], number, len(steps))

    step(0)
    degree = graph.degree()
    strength = graph.strength(weights="weight")
    step(1)
    between, method = betweenness(
        graph, exact_betweenness_limit, min(betweenness_samples, graph.vcount()), seed
    )
    step(2)
    with seeded_igraph(seed):  # ARPACK starts from a random vector
        eigenvector = (
            graph.eigenvector_centrality(weights="weight") if graph.ecount() else [0.0] * graph.vcount()
        )
    step(3)
    constraint = [value if value == value else 1.0 for value in graph.constraint(weights="weight")]
    effective = effective_sizes(graph, degree)
    step(4)
    community, modularity = communities(graph, seed)
    step(5)
    components = graph.connected_components()
    component_sizes = components.sizes()
    cut_vertices, bridges = cut_structure(graph, components.membership, component_sizes)
    if progress:
        progress("done", len(steps), len(steps))
    return ActorMetrics(
        degree=degree,
        strength=strength,
        betweenness=between,
        betweenness_method=method,
        eigenvector=eigenvector,
        constraint=constraint,
        effective_size=effective,
        community=community,
        modularity=modularity,
        component=components.membership,
        component_sizes=component_sizes,
        cut_vertices=cut_vertices,
        bridges=bridges,
    )


@dataclass(frozen=True)
class Brokerage:
    """Gould & Fernandez (1989) brokerage counts by country, undirected variant.

    Counts pairs of the ego's contacts that are not tied to each other. Without tie direction the
    gatekeeper and representative roles cannot be told apart, so they are counted together.
    """

    coordinator: int
    itinerant: int
    gatekeeper_or_representative: int
    liaison: int


def brokerage(graph: igraph.Graph, ego: int, group: list[str]) -> Brokerage:
    """Contacts without a known group (country) are left out of every count."""
    own = group[ego]
    contacts = [c for c in graph.neighbors(ego) if group[c]]
    contact_set = set(contacts)
    counts = Counter(group[c] for c in contacts)

    def classify(first: int, second: int) -> str:
        a, b = group[first], group[second]
        if a == b:
            return "coordinator" if a == own else "itinerant"
        if own in (a, b):
            return "gatekeeper_or_representative"
        return "liaison"

    same = counts.get(own, 0)
    others = [count for country, count in counts.items() if country != own]
    total_others = sum(others)
    pairs = {
        "coordinator": same * (same - 1) // 2,
        "itinerant": sum(count * (count - 1) // 2 for count in others),
        "gatekeeper_or_representative": same * total_others,
        "liaison": (total_others**2 - sum(count * count for count in others)) // 2,
    }
    for first in contacts:
        for second in graph.neighbors(first):
            if second > first and second in contact_set:
                pairs[classify(first, second)] -= 1
    return Brokerage(**pairs)


def cut_off_members(graph: igraph.Graph, vertex: int, info: CutVertexInfo) -> list[int]:
    """Actors who lose every path to the largest remaining piece when `vertex` is removed.

    Explores the piece behind each neighbour but gives up once a piece outgrows the cut-off count (it
    must be the largest); anything reaching a given-up piece belongs to it. Cost stays near the cut-off size.
    """
    limit = info.cut_off
    assigned = {vertex}
    largest: set[int] = set()
    small_pieces: list[list[int]] = []
    for start in graph.neighbors(vertex):
        if start in assigned or start in largest:
            continue
        piece, frontier, seen = [start], [start], {start}
        joined_largest = False
        while frontier and not joined_largest:
            current = frontier.pop()
            for neighbour in graph.neighbors(current):
                if neighbour in largest:
                    joined_largest = True
                elif neighbour not in seen and neighbour != vertex:
                    seen.add(neighbour)
                    piece.append(neighbour)
                    frontier.append(neighbour)
            joined_largest = joined_largest or len(piece) > limit
        if joined_largest:
            largest.update(piece)
        else:
            assigned.update(piece)
            small_pieces.append(piece)
    if sum(len(piece) for piece in small_pieces) > limit:
        # Two pieces tie for largest: the one holding the lowest vertex counts as the remaining network.
        small_pieces.remove(min(small_pieces, key=lambda piece: (-len(piece), min(piece))))
    return sorted(member for piece in small_pieces for member in piece)


def rank_of(values: list[float], vertex: int) -> int:
    """1 for the highest value; ties share the better rank."""
    return 1 + sum(1 for value in values if value > values[vertex])


def top_vertices(values: list[float], candidates: Iterable[int], top_n: int, z_threshold: float) -> list[int]:
    """Candidates standing out: at least z_threshold standard deviations above the mean, best top_n."""
    n = len(values)
    if n == 0:
        return []
    mean = sum(values) / n
    spread = (sum((value - mean) ** 2 for value in values) / n) ** 0.5
    floor = mean + z_threshold * spread
    chosen = [v for v in candidates if values[v] > 0 and values[v] >= floor]
    return sorted(chosen, key=lambda v: (-values[v], v))[:top_n]
