"""Plain node and edge records: what the Django layer hands to the analysis, and what exports write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from palermo.intel.network.vocabulary import NetworkVocabulary, load_vocabulary


class NetworkValidationError(ValueError):
    """The records cannot form a graph; `problems` lists every reason found, one sentence each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "; ".join(problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        super().__init__(f"{len(problems)} problem(s) in the network records: {shown}{more}")


@dataclass(frozen=True, slots=True)
class NodeRecord:
    id: str
    kind: str
    label: str = ""
    country: str = ""
    roles: tuple[str, ...] = ()
    is_legal_world: bool = False
    organisation_type: str = ""

    @classmethod
    def from_mapping(cls, row: Mapping) -> NodeRecord:
        """Accept a dict (ORM values(), CSV row); roles may be a list or a ';'-separated string."""
        roles = row.get("roles") or ()
        if isinstance(roles, str):
            roles = [part for part in roles.split(";") if part.strip()]
        legal = row.get("is_legal_world") or False
        if isinstance(legal, str):
            legal = legal.strip().lower() in {"1", "true", "yes"}
        return cls(
            id=str(row["id"]),
            kind=str(row["kind"]).strip(),
            label=str(row.get("label") or ""),
            country=str(row.get("country") or "").strip().upper(),
            roles=tuple(sorted({str(role).strip() for role in roles})),
            is_legal_world=bool(legal),
            organisation_type=str(row.get("organisation_type") or "").strip(),
        )


@dataclass(frozen=True, slots=True)
class EdgeRecord:
    source: str
    target: str
    kind: str
    date: dt.date | None = None
    weight: float = 1.0
    amount: float | None = None
    currency: str = ""

    @classmethod
    def from_mapping(cls, row: Mapping) -> EdgeRecord:
        """Accept a dict; the date may be a date, a datetime or an ISO string, blank meaning undated."""
        raw_date = row.get("date")
        if isinstance(raw_date, dt.datetime):
            raw_date = raw_date.date()
        elif isinstance(raw_date, str):
            raw_date = dt.date.fromisoformat(raw_date.strip()[:10]) if raw_date.strip() else None
        amount = row.get("amount")
        return cls(
            source=str(row["source"]),
            target=str(row["target"]),
            kind=str(row["kind"]).strip(),
            date=raw_date,
            weight=float(row.get("weight") or 1.0),
            amount=float(amount) if amount not in (None, "") else None,
            currency=str(row.get("currency") or ""),
        )


def is_actor(node: NodeRecord, vocabulary: NetworkVocabulary | None = None) -> bool:
    """Persons and organisations act; selectors, events, transactions and cases are evidence of ties."""
    return node.kind in (vocabulary or load_vocabulary()).actor_kinds


def is_legal_world(node: NodeRecord, vocabulary: NetworkVocabulary | None = None) -> bool:
    """Flagged by hand, a legal-world organisation type, or a role such as travel agent or official."""
    vocabulary = vocabulary or load_vocabulary()
    return (
        node.is_legal_world
        or node.organisation_type in vocabulary.legal_world_organisation_types
        or any(role in vocabulary.legal_world_roles for role in node.roles)
    )


def validate_network(nodes: Iterable[NodeRecord], edges: Iterable[EdgeRecord]) -> None:
    """Raise NetworkValidationError listing every unknown kind, role, dangling edge or bad weight."""
    vocabulary = load_vocabulary()
    problems: list[str] = []
    seen: set[str] = set()
    for node in nodes:
        if node.id in seen:
            problems.append(f"node {node.id!r} appears twice")
        seen.add(node.id)
        if node.kind not in vocabulary.node_kinds:
            problems.append(f"node {node.id!r} has unknown kind {node.kind!r}")
        for role in node.roles:
            if role not in vocabulary.role_labels:
                problems.append(f"node {node.id!r} has unknown role {role!r}")
        if node.organisation_type and node.organisation_type not in vocabulary.organisation_type_labels:
            problems.append(f"node {node.id!r} has unknown organisation type {node.organisation_type!r}")
    for edge in edges:
        name = f"edge {edge.source!r}->{edge.target!r} ({edge.kind})"
        if edge.kind not in vocabulary.edge_kinds:
            problems.append(f"{name} has unknown kind {edge.kind!r}")
        for end in (edge.source, edge.target):
            if end not in seen:
                problems.append(f"{name} refers to missing node {end!r}")
        if edge.source == edge.target:
            problems.append(f"{name} links a node to itself")
        if not edge.weight > 0:
            problems.append(f"{name} has weight {edge.weight}, which must be positive")
    if problems:
        raise NetworkValidationError(problems)
