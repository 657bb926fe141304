"""Link-analysis vocabulary, loaded once from data files (never spelled out in code)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_INTEL_DATA = Path(__file__).resolve().parent.parent / "data"
_CORE_VOCABULARIES = Path(__file__).resolve().parents[2] / "core" / "vocabularies"


@dataclass(frozen=True)
class NetworkVocabulary:
    """Node and edge kinds, role labels and the classes of roles the analysis relies on."""

    node_kinds: dict[str, str]
    actor_kinds: frozenset[str]
    edge_kinds: dict[str, str]
    directed_edge_kinds: frozenset[str]
    leadership_edge_kinds: frozenset[str]
    role_labels: dict[str, str]
    organisation_type_labels: dict[str, str]
    leadership_roles: frozenset[str]
    substantive_roles: frozenset[str]
    legal_world_roles: frozenset[str]
    not_a_target_roles: frozenset[str]
    legal_world_organisation_types: frozenset[str]
    critical_node_kinds: dict[str, str]

    def role_label(self, code: str) -> str:
        return self.role_labels.get(code, code)


def _csv_labels(name: str) -> dict[str, str]:
    with (_CORE_VOCABULARIES / name).open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["label"] for row in csv.DictReader(handle)}


@cache
def load_vocabulary() -> NetworkVocabulary:
    raw = json.loads((_INTEL_DATA / "network_vocabulary.json").read_text(encoding="utf-8"))
    role_labels = {
        **_csv_labels("perpetrator_roles.csv"),
        **_csv_labels("person_roles.csv"),
        **raw["extra_roles"],
    }
    classes = raw["role_classes"]
    return NetworkVocabulary(
        node_kinds={code: spec["label"] for code, spec in raw["node_kinds"].items()},
        actor_kinds=frozenset(code for code, spec in raw["node_kinds"].items() if spec["actor"]),
        edge_kinds={code: spec["label"] for code, spec in raw["edge_kinds"].items()},
        directed_edge_kinds=frozenset(code for code, spec in raw["edge_kinds"].items() if spec["directed"]),
        leadership_edge_kinds=frozenset(raw["leadership_edge_kinds"]),
        role_labels=role_labels,
        organisation_type_labels=_csv_labels("organisation_types.csv"),
        leadership_roles=frozenset(classes["leadership"]),
        substantive_roles=frozenset(classes["substantive"]),
        legal_world_roles=frozenset(classes["legal_world"]),
        not_a_target_roles=frozenset(classes["not_a_target"]),
        legal_world_organisation_types=frozenset(raw["legal_world_organisation_types"]),
        critical_node_kinds=dict(raw["critical_node_kinds"]),
    )
