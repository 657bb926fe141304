"""Resolve person records into clusters, on DuckDB (default) or Spark, with reviewable evidence."""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd
from splink import Linker
from splink.clustering import cluster_pairwise_predictions_at_threshold

from .dates import DateOfBirthError, parse_date_of_birth
from .explain import PairEvidence, explain, level_table, merge_allowed
from .model import ModelOptions, reference_settings, settings, train
from .records import INPUT_COLUMNS, comparison_rows

Backend = Literal["duckdb", "spark"]
Progress = Callable[[str, int, int], None]
Visibility = Collection[str] | Callable[[Mapping[str, object]], bool]

MATCH_THRESHOLD = 0.99
REVIEW_THRESHOLD = 0.5
# Below this many records EM has too few pairs to learn from (levels go unobserved, m collapses
# to zero): the reference model trained on synthetic records is used instead.
MIN_RECORDS_TO_TRAIN = 2000
_STEPS = ("normalise", "train", "predict", "cluster")


class ResolutionInputError(ValueError):
    """The input cannot be resolved as a whole; `problems` lists each one with its line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def restrict_to_visible(records: Iterable[Mapping[str, object]], visible: Visibility) -> list[Mapping[str, object]]:
    """Only the records the user may see; the rest never reach the linker, so nothing is
    compared, counted (term frequencies) or merged across the visibility boundary."""
    if callable(visible):
        return [record for record in records if visible(record)]
    allowed = {str(record_id) for record_id in visible}
    return [record for record in records if str(record.get("record_id")) in allowed]


class BackendUnavailable(RuntimeError):
    """The chosen engine is not installed on this machine."""


def _spark_session():
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    return (
        SparkSession.builder.master("local[2]")
        .appName("palermo-resolution")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", "6g")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )


def database_api(backend: Backend, spark_session=None):
    """Splink's execution engine: DuckDB in-process, or Spark (a local session unless given one)."""
    if backend == "duckdb":
        from splink.backends.duckdb import DuckDBAPI

        return DuckDBAPI()
    if backend == "spark":
        try:
            from splink.backends.spark import SparkAPI
        except ImportError as exc:
            raise BackendUnavailable(
                "the Spark backend needs pyspark and Java 17: .venv/bin/pip install -e '.[spark]'"
            ) from exc

        session = spark_session or _spark_session()
        session.sparkContext.setCheckpointDir(str(Path("/tmp") / "palermo-spark-checkpoints"))
        return SparkAPI(spark_session=session)
    raise ValueError(f"unknown backend {backend!r}; expected 'duckdb' or 'spark'")


@dataclass
class Resolution:
    """Cluster of every record, and the scored pairs (with merge decisions) behind them."""

    clusters: dict[str, str]
    pairs: pd.DataFrame
    model: dict = field(repr=False)

    def evidence(self, minimum_probability: float = REVIEW_THRESHOLD) -> list[PairEvidence]:
        levels = level_table(self.model)
        chosen = self.pairs[self.pairs["match_probability"] >= minimum_probability]
        return [explain(row, levels, bool(row["merge_allowed"])) for _, row in chosen.iterrows()]


def resolve_records(
    records: Iterable[Mapping[str, object]],
    *,
    visible: Visibility | None = None,
    backend: Backend = "duckdb",
    options: ModelOptions | None = None,
    match_threshold: float = MATCH_THRESHOLD,
    review_threshold: float = REVIEW_THRESHOLD,
    strict_dates: bool = True,
    progress: Progress | None = None,
    spark_session=None,
) -> Resolution:
    """Cluster person records (dicts with the CLI's input columns). The model is trained on the
    records themselves when there are enough of them, else the reference model is used. Pairs at or above
    `match_threshold` that pass the household rule are merged; pairs at or above
    `review_threshold` are kept with their evidence for human review."""
    options = options or ModelOptions()
    report = progress or (lambda step, done, total: None)
    chosen = restrict_to_visible(records, visible) if visible is not None else list(records)
    report(_STEPS[0], 0, len(_STEPS))
    rows = pd.DataFrame(comparison_rows(chosen, strict_dates=strict_dates))
    if rows.empty:
        return Resolution({}, pd.DataFrame(), {})
    trainable = options.train and len(rows) >= MIN_RECORDS_TO_TRAIN
    if backend == "spark" and not trainable:
        raise ResolutionInputError([
            f"the Spark backend trains on its input and needs at least {MIN_RECORDS_TO_TRAIN} records, "
            f"this input has {len(rows)} (the reference model for small inputs is written in DuckDB SQL); "
            "use the duckdb backend"
        ])
    if not (trainable and options.include_address):
        rows = rows.drop(columns=["address"])
    db_api = database_api(backend, spark_session)
    model_settings = settings(options, backend) if trainable else reference_settings(len(rows))
    # Splink warns of every level EM did not observe in a training block: noise to an operator.
    linker = Linker(db_api.register(rows), model_settings, log_level=logging.ERROR)
    report(_STEPS[1], 1, len(_STEPS))
    if trainable:
        train(linker, options)
    report(_STEPS[2], 2, len(_STEPS))
    model = linker.misc.save_model_to_json()
    predictions = linker.inference.predict(
        threshold_match_probability=review_threshold, warning_mode="never"
    ).as_pandas_dataframe()
    if predictions.empty:
        predictions = predictions.assign(merge_allowed=pd.Series(dtype=bool))
    else:
        predictions["merge_allowed"] = merge_allowed(predictions, level_table(model))
    report(_STEPS[3], 3, len(_STEPS))
    mergeable = predictions["merge_allowed"] if options.household_rule else True
    edges = predictions.loc[
        mergeable & (predictions["match_probability"] >= match_threshold),
        ["record_id_l", "record_id_r", "match_probability"],
    ]
    clusters = cluster_at_threshold(rows[["record_id"]], edges, db_api, match_threshold)
    report("done", len(_STEPS), len(_STEPS))
    return Resolution(clusters, predictions, model)


def cluster_at_threshold(nodes: pd.DataFrame, edges: pd.DataFrame, db_api, threshold: float) -> dict[str, str]:
    """Connected components at the threshold (Splink's clustering); singletons keep their id."""
    if edges.empty:
        return {record_id: record_id for record_id in nodes["record_id"]}
    clustered = cluster_pairwise_predictions_at_threshold(
        nodes, edges, db_api, node_id_column_name="record_id", threshold_match_probability=threshold
    ).as_pandas_dataframe()
    clusters = dict(zip(clustered["record_id"].astype(str), clustered["cluster_id"].astype(str), strict=True))
    for record_id in nodes["record_id"]:
        clusters.setdefault(record_id, record_id)
    return clusters


def pairwise_evidence(
    records: Iterable[Mapping[str, object]],
    *,
    visible: Visibility | None = None,
    minimum_probability: float = REVIEW_THRESHOLD,
    options: ModelOptions | None = None,
) -> list[PairEvidence]:
    """Proposed merges among in-memory records with evidence for and against, strongest first,
    for the review queue. Only records inside `visible` are compared."""
    resolution = resolve_records(records, visible=visible, options=options, review_threshold=minimum_probability)
    if resolution.pairs.empty:
        return []
    return sorted(resolution.evidence(minimum_probability), key=lambda pair: -pair.match_probability)


def read_records(input_csv: str | Path) -> list[dict[str, str]]:
    """Rows of a records CSV, validated as a whole: every problem is reported with its line,
    and nothing is resolved if there is any."""
    with open(input_csv, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        if "record_id" not in header:
            raise ResolutionInputError(["line 1: the header has no record_id column"])
        unknown = [c for c in header if c not in INPUT_COLUMNS and c != "address"]
        problems = [f"line 1: unknown column {c!r}" for c in unknown]
        records: list[dict[str, str]] = []
        first_seen: dict[str, int] = {}
        for row in reader:
            line = reader.line_num
            record_id = (row.get("record_id") or "").strip()
            if not record_id:
                problems.append(f"line {line}: record_id is empty")
            elif record_id in first_seen:
                problems.append(f"line {line}: record_id {record_id!r} already used on line {first_seen[record_id]}")
            else:
                first_seen[record_id] = line
            try:
                parse_date_of_birth(row.get("date_of_birth"))
            except DateOfBirthError as exc:
                problems.append(f"line {line}: date_of_birth {exc}")
            records.append({key: value or "" for key, value in row.items() if key is not None})
    if problems:
        raise ResolutionInputError(problems)
    return records


def resolve_file(
    input_csv: str | Path,
    output_csv: str | Path,
    progress: Progress | None = None,
    backend: Backend = "duckdb",
) -> int:
    """CLI contract: read records, write `record_id, cluster_id` for every input record (a
    singleton is its own cluster). Returns the number of clusters. Re-running rewrites the
    output with the same result."""
    records = read_records(input_csv)
    has_address = any(record.get("address") for record in records)
    resolution = resolve_records(
        records, backend=backend, options=ModelOptions(include_address=has_address), progress=progress
    )
    output = Path(output_csv)
    temporary = output.with_suffix(output.suffix + ".partial")
    with open(temporary, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "cluster_id"])
        for record in records:
            record_id = record["record_id"].strip()
            writer.writerow([record_id, resolution.clusters[record_id]])
    temporary.replace(output)
    return len(set(resolution.clusters.values()))
