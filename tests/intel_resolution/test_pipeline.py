"""End-to-end resolution: relatives, visibility, evidence, and the file contract."""

import csv
import itertools
from collections import defaultdict

import pytest

from palermo.intel.resolution.pipeline import (
    MIN_RECORDS_TO_TRAIN,
    ResolutionInputError,
    pairwise_evidence,
    resolve_file,
    resolve_records,
    restrict_to_visible,
)
from palermo.intel.resolution.records import INPUT_COLUMNS
from palermo.intel.resolution.synthetic import generate

HOUSEHOLD = {"source": "police-UA", "family_name": "Ivanenko", "phone": "+380501234567", "nationality": "UA"}


def record(record_id, **fields):
    return {"record_id": record_id, **fields}


def household_and_one_person():
    """A mother, her twin daughters and her son share family name, phone and nationality; the
    mother is also recorded twice more by other agencies, in Cyrillic and with a diminutive."""
    return [
        record("mother-police", given_name="Olena", date_of_birth="1970-04-12", document_number="FE123456", **HOUSEHOLD),
        record("mother-ngo", source="ngo-GR", full_name="Олена Іваненко", date_of_birth="12/04/1970", phone="0501234567", nationality="Україна"),
        record("mother-border", source="border-MD", full_name="IVANENKO Lena", date_of_birth="1970", document_number="FEI23456", nationality="UKR"),
        record("twin-1", given_name="Iryna", date_of_birth="1995-09-01", **HOUSEHOLD),
        record("twin-2", given_name="Oksana", date_of_birth="1995-09-01", **HOUSEHOLD),
        record("son", given_name="Taras", date_of_birth="1998-01-20", **HOUSEHOLD),
        record("son-again", source="shelter-NG", full_name="Taras Ivanenko", date_of_birth="20/01/1998", phone="+380 50 123 4567"),
    ]


def clusters_of(resolution):
    groups = defaultdict(set)
    for record_id, cluster in resolution.clusters.items():
        groups[cluster].add(record_id)
    return sorted(sorted(group) for group in groups.values())


def test_one_person_across_scripts_merges_but_relatives_sharing_household_fields_do_not():
    resolution = resolve_records(household_and_one_person())
    assert clusters_of(resolution) == [
        ["mother-border", "mother-ngo", "mother-police"],
        ["son", "son-again"],
        ["twin-1"],
        ["twin-2"],
    ]


def test_household_rule_blocks_twins_whatever_their_score():
    resolution = resolve_records(household_and_one_person(), review_threshold=0.0)
    twins = resolution.pairs[
        (resolution.pairs["record_id_l"].isin(["twin-1", "twin-2"])) & (resolution.pairs["record_id_r"].isin(["twin-1", "twin-2"]))
    ]
    assert len(twins) == 1 and not twins["merge_allowed"].iloc[0]
    mother_and_daughter = resolution.pairs[
        resolution.pairs[["record_id_l", "record_id_r"]].isin(["mother-police", "twin-1"]).all(axis=1)
    ]
    assert not mother_and_daughter["merge_allowed"].any()


def test_evidence_lists_agreements_and_disagreements_in_plain_words():
    pairs = pairwise_evidence(household_and_one_person(), minimum_probability=0.0)
    by_ids = {frozenset((p.record_id_left, p.record_id_right)): p for p in pairs}
    mother = by_ids[frozenset(("mother-police", "mother-border"))]
    assert mother.merge_allowed
    assert any(line.startswith("document number: same document number") for line in mother.evidence_for)
    assert any("given name: same given name" in line for line in mother.evidence_for)
    twins = by_ids[frozenset(("twin-1", "twin-2"))]
    assert not twins.merge_allowed
    assert any(line.startswith("given name: different given names") for line in twins.evidence_against)
    assert any(line.startswith("household rule") for line in twins.evidence_against)
    assert any(line.startswith("phone: same phone number") for line in twins.evidence_for)
    assert all("weight" in line for line in mother.evidence_for + mother.evidence_against)


def test_visibility_restriction_never_compares_outside_it():
    records = household_and_one_person()
    visible = {"mother-police", "twin-1", "son"}
    pairs = pairwise_evidence(records, visible=visible, minimum_probability=0.0)
    assert {p.record_id_left for p in pairs} | {p.record_id_right for p in pairs} <= visible
    resolution = resolve_records(records, visible=lambda r: r["record_id"] != "mother-ngo")
    assert "mother-ngo" not in resolution.clusters
    assert resolution.clusters["mother-police"] == resolution.clusters["mother-border"]


def test_restrict_to_visible_by_ids_or_predicate():
    records = [record("a"), record("b"), record("c")]
    assert [r["record_id"] for r in restrict_to_visible(records, ["a", "c"])] == ["a", "c"]
    assert [r["record_id"] for r in restrict_to_visible(records, lambda r: r["record_id"] == "b")] == ["b"]


def pairwise_f1(clusters, truth):
    def pairs(assignment):
        groups = defaultdict(list)
        for record_id, group in assignment.items():
            groups[group].append(record_id)
        return {frozenset(p) for members in groups.values() for p in itertools.combinations(members, 2)}

    predicted, actual = pairs(clusters), pairs(truth)
    shared = len(predicted & actual)
    precision, recall = shared / len(predicted), shared / len(actual)
    return 2 * precision * recall / (precision + recall)


def write_csv(path, records, columns=INPUT_COLUMNS):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(records)


def test_resolve_file_on_generated_records_keeps_every_record_with_high_f1(tmp_path):
    records, truth = generate(200, seed=7)
    write_csv(tmp_path / "records.csv", records)
    steps = []
    clusters = resolve_file(tmp_path / "records.csv", tmp_path / "clusters.csv", progress=lambda s, d, t: steps.append(s))
    with open(tmp_path / "clusters.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["record_id", "cluster_id"]
    assert [row["record_id"] for row in rows] == [r["record_id"] for r in records]
    assigned = {row["record_id"]: row["cluster_id"] for row in rows}
    assert len(set(assigned.values())) == clusters
    assert pairwise_f1(assigned, truth) >= 0.8
    assert steps[-1] == "done"


def test_resolve_file_is_idempotent(tmp_path):
    records, _ = generate(120, seed=11)
    write_csv(tmp_path / "records.csv", records)
    resolve_file(tmp_path / "records.csv", tmp_path / "first.csv")
    resolve_file(tmp_path / "records.csv", tmp_path / "second.csv")
    assert (tmp_path / "first.csv").read_text() == (tmp_path / "second.csv").read_text()


def test_resolve_file_trains_on_a_large_input_with_only_the_contract_columns(tmp_path):
    """Enough records to train on, and no address column (it is not in the CLI contract):
    the model must neither compare nor block on the address it does not have."""
    records, truth = generate(MIN_RECORDS_TO_TRAIN + 200, seed=3)
    write_csv(tmp_path / "records.csv", records)
    resolve_file(tmp_path / "records.csv", tmp_path / "clusters.csv")
    with open(tmp_path / "clusters.csv", encoding="utf-8") as handle:
        assigned = {row["record_id"]: row["cluster_id"] for row in csv.DictReader(handle)}
    assert set(assigned) == set(truth)
    assert pairwise_f1(assigned, truth) >= 0.8


def test_singletons_get_their_own_cluster(tmp_path):
    write_csv(tmp_path / "records.csv", [record("only", full_name="Somchai Jaidee")])
    resolve_file(tmp_path / "records.csv", tmp_path / "clusters.csv")
    assert (tmp_path / "clusters.csv").read_text().splitlines() == ["record_id,cluster_id", "only,only"]


def test_bad_input_is_rejected_whole_with_line_numbers(tmp_path):
    write_csv(
        tmp_path / "records.csv",
        [
            record("a", full_name="Aram Petrosyan", date_of_birth="1980"),
            record("b", full_name="Nino Beridze", date_of_birth="31/02/1990"),
            record("a", full_name="Aram Petrosian"),
            record("c", date_of_birth="last spring"),
        ],
    )
    with pytest.raises(ResolutionInputError) as error:
        resolve_file(tmp_path / "records.csv", tmp_path / "clusters.csv")
    problems = error.value.problems
    assert any(p.startswith("line 3: date_of_birth") for p in problems)
    assert "line 4: record_id 'a' already used on line 2" in problems
    assert any(p.startswith("line 5: date_of_birth") for p in problems)
    assert not (tmp_path / "clusters.csv").exists()


def test_missing_record_id_column_is_rejected(tmp_path):
    write_csv(tmp_path / "records.csv", [{"full_name": "Nino Beridze"}], columns=["full_name"])
    with pytest.raises(ResolutionInputError, match="line 1: the header has no record_id column"):
        resolve_file(tmp_path / "records.csv", tmp_path / "clusters.csv")


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="unknown backend"):
        resolve_records([record("a", full_name="Nino Beridze")], backend="oracle")
