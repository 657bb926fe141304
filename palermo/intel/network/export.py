"""Export a (filtered) network as GraphML, as nodes.csv + edges.csv, or as Cytoscape.js elements."""

from __future__ import annotations

import csv
import math
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

from palermo.intel.network.graph import build_graph
from palermo.intel.network.records import EdgeRecord, NodeRecord
from palermo.intel.network.report import CriticalNodesReport

NODE_COLUMNS = ("id", "kind", "label", "country", "roles", "is_legal_world", "organisation_type")
EDGE_COLUMNS = ("source", "target", "kind", "date", "weight", "amount", "currency")


def write_graphml(
    nodes: Sequence[NodeRecord], edges: Sequence[EdgeRecord], target: str | Path | BinaryIO
) -> None:
    """GraphML readable by igraph, Gephi and yEd; vertex `name` is the record id, roles are ';'-joined."""
    graph = build_graph(nodes, edges)
    if hasattr(target, "write"):
        # igraph's writer needs a real file descriptor; HTTP responses and BytesIO have none.
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "network.graphml"
            graph.write_graphml(str(path))
            target.write(path.read_bytes())
    else:
        graph.write_graphml(str(target))


def _node_row(node: NodeRecord) -> dict[str, str]:
    return {
        "id": node.id,
        "kind": node.kind,
        "label": node.label,
        "country": node.country,
        "roles": ";".join(node.roles),
        "is_legal_world": "true" if node.is_legal_world else "false",
        "organisation_type": node.organisation_type,
    }


def _edge_row(edge: EdgeRecord) -> dict[str, str]:
    return {
        "source": edge.source,
        "target": edge.target,
        "kind": edge.kind,
        "date": edge.date.isoformat() if edge.date else "",
        "weight": repr(float(edge.weight)),
        "amount": "" if edge.amount is None else repr(float(edge.amount)),
        "currency": edge.currency,
    }


def write_nodes_csv(nodes: Iterable[NodeRecord], stream: TextIO) -> None:
    writer = csv.DictWriter(stream, fieldnames=NODE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_node_row(node) for node in nodes)


def write_edges_csv(edges: Iterable[EdgeRecord], stream: TextIO) -> None:
    writer = csv.DictWriter(stream, fieldnames=EDGE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_edge_row(edge) for edge in edges)


def export_csv(
    nodes: Sequence[NodeRecord], edges: Sequence[EdgeRecord], directory: str | Path
) -> tuple[Path, Path]:
    """Write nodes.csv and edges.csv into `directory` (created if needed); returns both paths."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    nodes_path, edges_path = folder / "nodes.csv", folder / "edges.csv"
    with nodes_path.open("w", encoding="utf-8", newline="") as stream:
        write_nodes_csv(nodes, stream)
    with edges_path.open("w", encoding="utf-8", newline="") as stream:
        write_edges_csv(edges, stream)
    return nodes_path, edges_path


def read_nodes_csv(stream: TextIO) -> list[NodeRecord]:
    return [NodeRecord.from_mapping(row) for row in csv.DictReader(stream)]


def read_edges_csv(stream: TextIO) -> list[EdgeRecord]:
    return [EdgeRecord.from_mapping(row) for row in csv.DictReader(stream)]


def cytoscape_elements(
    nodes: Sequence[NodeRecord], edges: Sequence[EdgeRecord], report: CriticalNodesReport | None = None
) -> list[dict]:
    """Elements for Cytoscape.js; critical nodes carry their kinds, reason and redundancy for the side panel."""
    critical = {entry.node_id: entry for entry in report.entries} if report else {}
    elements: list[dict] = []
    for node in nodes:
        data = {**_node_row(node), "is_legal_world": node.is_legal_world}
        classes = [node.kind]
        entry = critical.get(node.id)
        if entry:
            classes.append("critical")
            data.update(
                critical_kinds=list(entry.kinds),
                reason=entry.reason,
                redundancy=entry.redundancy.level,
                redundancy_explanation=entry.redundancy.explanation,
            )
        elements.append({"group": "nodes", "data": data, "classes": " ".join(classes)})
    for position, edge in enumerate(edges):
        data = {**_edge_row(edge), "id": f"e{position}", "weight": edge.weight}
        data["amount"] = None if edge.amount is None or math.isnan(edge.amount) else edge.amount
        elements.append({"group": "edges", "data": data, "classes": edge.kind})
    return elements
