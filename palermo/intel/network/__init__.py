"""Link analysis of trafficking networks: plain records in, igraph measures and a critical-nodes report out.

No Django here: the web layer turns its rows into NodeRecord/EdgeRecord and calls these functions.
"""

from palermo.intel.network.filters import (
    NetworkFilter,
    apply_filter,
    filter_by_countries,
    filter_by_roles,
    filter_by_time,
)
from palermo.intel.network.graph import ActorGraph, build_actor_graph, build_graph
from palermo.intel.network.records import (
    EdgeRecord,
    NetworkValidationError,
    NodeRecord,
    is_actor,
    is_legal_world,
    validate_network,
)
from palermo.intel.network.report import (
    CriticalNode,
    CriticalNodesReport,
    NetworkAnalysis,
    Redundancy,
    ReportSettings,
    analyse,
    critical_nodes_report,
    report_from_analysis,
)
from palermo.intel.network.vocabulary import load_vocabulary

__all__ = [
    "ActorGraph",
    "CriticalNode",
    "CriticalNodesReport",
    "EdgeRecord",
    "NetworkAnalysis",
    "NetworkFilter",
    "NetworkValidationError",
    "NodeRecord",
    "Redundancy",
    "ReportSettings",
    "analyse",
    "apply_filter",
    "build_actor_graph",
    "build_graph",
    "critical_nodes_report",
    "filter_by_countries",
    "filter_by_roles",
    "filter_by_time",
    "is_actor",
    "is_legal_world",
    "load_vocabulary",
    "report_from_analysis",
    "validate_network",
]
