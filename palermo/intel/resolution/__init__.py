"""Entity resolution of person records across agencies, scripts and spellings.

Public API (plain Python, no Django):

* `resolve_file(input_csv, output_csv, progress=None, backend="duckdb")`: the CLI contract.
* `resolve_records(records, visible=..., backend=...)` → `Resolution` (clusters, scored pairs).
* `pairwise_evidence(records, visible=..., minimum_probability=0.5)` → `PairEvidence` list for
  the review queue.
* `restrict_to_visible(records, visible)`: the visibility boundary, by ids or predicate.
"""

from .explain import PairEvidence
from .model import ModelOptions
from .pipeline import (
    Resolution,
    ResolutionInputError,
    pairwise_evidence,
    read_records,
    resolve_file,
    resolve_records,
    restrict_to_visible,
)

__all__ = [
    "ModelOptions",
    "PairEvidence",
    "Resolution",
    "ResolutionInputError",
    "pairwise_evidence",
    "read_records",
    "resolve_file",
    "resolve_records",
    "restrict_to_visible",
]
