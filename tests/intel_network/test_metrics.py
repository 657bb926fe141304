import random
from itertools import combinations

import igraph
import pytest

from palermo.intel.network.metrics import (
    betweenness,
    brokerage,
    communities,
    cut_off_members,
    cut_structure,
    effective_sizes,
)


def random_sparse_graph(seed: int, n: int = 40, m: int = 48) -> igraph.Graph:
    """Sparse enough to have many articulation points, bridges and several components."""
    rng = random.Random(seed)
    pairs = set()
    while len(pairs) < m:
        a, b = rng.sample(range(n), 2)
        pairs.add((min(a, b), max(a, b)))
    return igraph.Graph(n=n, edges=sorted(pairs))


@pytest.mark.parametrize("seed", range(8))
def test_cut_structure_matches_removing_each_vertex_and_edge(seed):
    graph = random_sparse_graph(seed)
    components = graph.connected_components()
    cut_vertices, bridges = cut_structure(graph, components.membership, components.sizes())
    for vertex in range(graph.vcount()):
        reduced = graph.copy()
        reduced.delete_vertices([vertex])
        same_component = [
            v - (v > vertex)
            for v in range(graph.vcount())
            if v != vertex and components.membership[v] == components.membership[vertex]
        ]
        pieces = sorted(
            (size for size in reduced.induced_subgraph(same_component).connected_components().sizes()),
            reverse=True,
        )
        if len(pieces) > 1:
            assert cut_vertices[vertex].pieces == pieces
            members = cut_off_members(graph, vertex, cut_vertices[vertex])
            assert len(members) == cut_vertices[vertex].cut_off == sum(pieces) - pieces[0]
        else:
            assert vertex not in cut_vertices
    assert {(u, v) for u, v, _, _ in bridges} == {tuple(sorted(graph.es[e].tuple)) for e in graph.bridges()}
    for u, v, side_u, side_v in bridges:
        reduced = graph.copy()
        reduced.delete_edges([(u, v)])
        parts = reduced.connected_components()
        assert (side_u, side_v) == (parts.size(parts.membership[u]), parts.size(parts.membership[v]))


def test_cut_off_members_when_two_pieces_tie_for_largest():
    path = igraph.Graph(n=7, edges=[(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6)])
    components = path.connected_components()
    cut_vertices, _ = cut_structure(path, components.membership, components.sizes())
    assert cut_vertices[3].pieces == [3, 3]
    assert cut_off_members(path, 3, cut_vertices[3]) == [4, 5, 6]


def test_sampled_betweenness_finds_the_same_top_brokers_as_exact():
    rng = random.Random(3)
    pairs = set()
    for cell in range(12):
        members = range(cell * 50, cell * 50 + 50)
        while len(pairs) < (cell + 1) * 200:
            a, b = rng.sample(members, 2)
            pairs.add((min(a, b), max(a, b)))
    for cell in range(11):
        pairs.add((cell * 50, cell * 50 + 50))
    graph = igraph.Graph(n=600, edges=sorted(pairs))
    exact, method = betweenness(graph, exact_limit=10_000, samples=100, seed=1)
    estimate, sampled_method = betweenness(graph, exact_limit=100, samples=150, seed=1)
    assert method.startswith("exact") and sampled_method.startswith("estimated from 150")
    top = lambda values: set(sorted(range(600), key=lambda v: -values[v])[:10])  # noqa: E731
    assert len(top(exact) & top(estimate)) >= 8
    assert abs(sum(estimate) - sum(exact)) / sum(exact) < 0.1


def test_brokerage_counts_match_enumerating_pairs():
    graph = random_sparse_graph(11, n=30, m=90)
    group = [random.Random(v).choice(["RO", "DE", "IT", ""]) for v in range(30)]
    for ego in range(30):
        expected = {"coordinator": 0, "itinerant": 0, "gatekeeper_or_representative": 0, "liaison": 0}
        contacts = [c for c in graph.neighbors(ego) if group[c]]
        for j, k in combinations(contacts, 2):
            if graph.are_adjacent(j, k):
                continue
            a, b, own = group[j], group[k], group[ego]
            if a == b:
                expected["coordinator" if a == own else "itinerant"] += 1
            elif own in (a, b):
                expected["gatekeeper_or_representative"] += 1
            else:
                expected["liaison"] += 1
        assert brokerage(graph, ego, group).__dict__ == expected


def test_effective_size_is_contacts_minus_redundancy():
    # Ego 0 with contacts 1, 2, 3; contacts 1 and 2 are tied: effective size 3 - 2*1/3.
    graph = igraph.Graph(n=4, edges=[(0, 1), (0, 2), (0, 3), (1, 2)])
    sizes = effective_sizes(graph, graph.degree())
    assert sizes[0] == pytest.approx(3 - 2 / 3)
    assert sizes[3] == pytest.approx(1.0)


def test_communities_are_stable_under_a_fixed_seed():
    cells = igraph.Graph.Full(6) + igraph.Graph.Full(6)
    cells.add_edge(0, 6)
    cells.es["weight"] = [1.0] * cells.ecount()
    first, modularity = communities(cells, seed=5)
    assert first == communities(cells, seed=5)[0]
    assert first == [0] * 6 + [1] * 6
    assert modularity > 0.4
