"""The Splink model: comparisons, blocking rules and training for normalised person records.

Every comparison level has a plain-language label: those labels are what a reviewer reads as
the evidence for and against a proposed merge.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import splink.comparison_level_library as cll
from splink import SettingsCreator, block_on
from splink.comparison_library import CustomComparison

SEED = 5150

# Conditions are written in DuckDB SQL; Splink translates them for Spark.
_SWAPPED = "given_key_l = family_key_r AND family_key_l = given_key_r"
# Splink registers Jaro-Winkler under a different name on each engine.
_JARO_WINKLER = {"duckdb": "jaro_winkler_similarity", "spark": "jaro_winkler"}


def _swapped_with_typos(dialect: str) -> str:
    """Given and family name swapped, each spelled almost the same (Hayden Thredgold / Thredgold Haydn)."""
    jaro_winkler = _JARO_WINKLER[dialect]
    return (
        f"{jaro_winkler}(given_key_l, family_key_r) >= 0.88 AND {jaro_winkler}(family_key_l, given_key_r) >= 0.88"
    )


def _null(column: str) -> cll.CustomLevel:
    return cll.CustomLevel(f"{column}_l IS NULL OR {column}_r IS NULL", "missing on one side", "duckdb").configure(
        is_null_level=True
    )


def _else(label: str) -> cll.ElseLevel:
    return cll.ElseLevel().configure(label_for_charts=label)


def _family_in_given_field(dialect: str) -> str:
    """One record has the family name in its given-name field (the other name may differ):
    household evidence, like any family-name agreement, so it sits under the family name."""
    jaro_winkler = _JARO_WINKLER[dialect]
    return f"{jaro_winkler}(family_key_l, given_key_r) >= 0.9 OR {jaro_winkler}(given_key_l, family_key_r) >= 0.9"


def _given_name(dialect: str) -> CustomComparison:
    return CustomComparison(
        output_column_name="given_name",
        comparison_description="given name",
        comparison_levels=[
            _null("given_canonical"),
            cll.ExactMatchLevel("given_canonical").configure(
                label_for_charts="same given name (after romanisation and diminutives)",
                tf_adjustment_column="given_canonical",
            ),
            cll.ArrayIntersectLevel("given_alternatives", 1).configure(
                label_for_charts="given names can be the same name (ambiguous diminutive)"
            ),
            cll.CustomLevel(_SWAPPED, "given and family name swapped", "duckdb"),
            cll.CustomLevel(_swapped_with_typos(dialect), "given and family name swapped, spelled almost the same", dialect),
            cll.JaroWinklerLevel("given_key", 0.92).configure(label_for_charts="given names spelled almost the same"),
            cll.CustomLevel("given_skeleton_l = given_skeleton_r", "given names sound alike", "duckdb"),
            cll.JaroWinklerLevel("given_key", 0.8).configure(label_for_charts="given names somewhat similar"),
            _else("different given names"),
        ],
    )


def _family_name(dialect: str) -> CustomComparison:
    return CustomComparison(
        output_column_name="family_name",
        comparison_description="family name",
        comparison_levels=[
            _null("family_key"),
            cll.ExactMatchLevel("family_key").configure(
                label_for_charts="same family name (after romanisation)", tf_adjustment_column="family_key"
            ),
            # Weighed once, under the given name; neutral here so a swap is not counted twice.
            cll.CustomLevel(
                f"({_SWAPPED}) OR ({_swapped_with_typos(dialect)})",
                "given and family name swapped (weighed under given name)",
                dialect,
            ).configure(m_probability=0.01, u_probability=0.01, fix_m_probability=True, fix_u_probability=True),
            cll.CustomLevel(_family_in_given_field(dialect), "family name recorded in the given-name field", dialect),
            cll.JaroWinklerLevel("family_key", 0.92).configure(label_for_charts="family names spelled almost the same"),
            cll.CustomLevel("family_skeleton_l = family_skeleton_r", "family names sound alike", "duckdb"),
            cll.JaroWinklerLevel("family_key", 0.8).configure(label_for_charts="family names somewhat similar"),
            _else("different family names"),
        ],
    )


def _date_of_birth() -> CustomComparison:
    return CustomComparison(
        output_column_name="date_of_birth",
        comparison_description="date of birth",
        comparison_levels=[
            cll.CustomLevel(
                "(dob_year_l IS NULL OR dob_year_r IS NULL) AND (dob_digits_l IS NULL OR dob_digits_r IS NULL)",
                "missing on one side",
                "duckdb",
            ).configure(is_null_level=True),
            cll.CustomLevel("dob_full_l = dob_full_r", "same date of birth", "duckdb"),
            cll.CustomLevel(
                "dob_year_l = dob_year_r AND dob_month_l = dob_day_r AND dob_day_l = dob_month_r",
                "same date of birth with day and month swapped",
                "duckdb",
            ),
            cll.DamerauLevenshteinLevel("dob_digits", 1).configure(
                label_for_charts="dates of birth one typo apart (as typed, even if impossible)"
            ),
            cll.CustomLevel(
                "dob_year_l = dob_year_r AND (dob_month_l IS NULL OR dob_month_r IS NULL OR "
                "(dob_month_l = dob_month_r AND (dob_day_l IS NULL OR dob_day_r IS NULL)))",
                "same year of birth, one date partial",
                "duckdb",
            ),
            cll.CustomLevel(
                "abs(dob_year_l - dob_year_r) <= 3 AND (dob_estimated_l OR dob_estimated_r)",
                "year of birth within an estimate's range",
                "duckdb",
            ),
            cll.CustomLevel("abs(dob_year_l - dob_year_r) <= 1", "years of birth one apart", "duckdb"),
            _else("different dates of birth"),
        ],
    )


def _exact(column: str, description: str, *, tf: bool = False, extra: list | None = None) -> CustomComparison:
    exact = cll.ExactMatchLevel(column).configure(label_for_charts=f"same {description}")
    if tf:
        exact = exact.configure(tf_adjustment_column=column)
    return CustomComparison(
        output_column_name=column,
        comparison_description=description,
        comparison_levels=[_null(column), exact, *(extra or []), _else(f"different {description}")],
    )


def _address() -> CustomComparison:
    return CustomComparison(
        output_column_name="address",
        comparison_description="address",
        comparison_levels=[
            _null("address"),
            cll.ExactMatchLevel("address").configure(label_for_charts="same address", tf_adjustment_column="address"),
            cll.JaroWinklerLevel("address", 0.9).configure(label_for_charts="addresses almost the same"),
            cll.ExactMatchLevel("address_numbers").configure(
                label_for_charts="same house and postal numbers, street written differently"
            ),
            cll.JaroWinklerLevel("address", 0.75).configure(label_for_charts="addresses somewhat similar"),
            _else("different address"),
        ],
    )


def comparisons(include_address: bool, dialect: str = "duckdb") -> list[CustomComparison]:
    chosen = [
        _given_name(dialect),
        _family_name(dialect),
        _date_of_birth(),
        _exact(
            "document_key",
            "document number (OCR-confusable characters folded)",
            extra=[cll.DamerauLevenshteinLevel("document_key", 1).configure(label_for_charts="document numbers one character apart")],
        ),
        CustomComparison(
            output_column_name="phone",
            comparison_description="phone number",
            comparison_levels=[
                _null("phone_tail"),
                cll.ExactMatchLevel("phone").configure(label_for_charts="same phone number", tf_adjustment_column="phone"),
                cll.CustomLevel(
                    "phone_tail_l = phone_tail_r", "same phone number, country code written differently", "duckdb"
                ),
                _else("different phone number"),
            ],
        ),
        _exact(
            "email",
            "e-mail address",
            extra=[cll.CustomLevel("email_user_l = email_user_r", "same e-mail user name at another provider", "duckdb")],
        ),
        _exact("nationality", "nationality"),
        _exact("gender", "gender"),
    ]
    if include_address:
        chosen.append(_address())
    return chosen


PREDICTION_BLOCKING = [
    block_on("family_skeleton", "given_skeleton"),
    block_on("family_key", "given_canonical"),
    block_on("dob_full", "given_skeleton"),
    block_on("dob_full", "family_skeleton"),
    block_on("document_key"),
    # Two digits transposed in a document number.
    block_on("document_sorted", "family_skeleton"),
    block_on("document_sorted", "dob_year"),
    block_on("email"),
    block_on("phone", "dob_year"),
    "l.given_key = r.family_key AND l.family_key = r.given_key",
    "l.given_skeleton = r.family_skeleton AND l.family_skeleton = r.given_skeleton",
    "l.given_skeleton = r.family_skeleton AND l.dob_full = r.dob_full",
    # Both names misspelt or replaced: the same date of birth at the same address.
    block_on("dob_full", "address_numbers"),
    # One name replaced, the other misspelt beyond its phonetic key.
    "l.dob_full = r.dob_full AND substr(l.family_key, 1, 2) = substr(r.family_key, 1, 2)",
    "l.dob_full = r.dob_full AND substr(l.given_key, 1, 2) = substr(r.given_key, 1, 2)",
    # The date of birth mistyped: the same family at the same address numbers.
    block_on("family_skeleton", "address_numbers"),
]
# Only when the address is compared (the column is dropped otherwise).
ADDRESS_BLOCKING = [block_on("dob_full", "address")]

TRAINING_BLOCKING = [block_on("document_key"), block_on("given_canonical", "family_key", "dob_full")]

DETERMINISTIC_RULES = [
    "l.document_key = r.document_key",
    "l.given_canonical = r.given_canonical AND l.family_key = r.family_key AND l.dob_full = r.dob_full",
]


@dataclass(frozen=True)
class ModelOptions:
    """How the model is built and trained. Defaults suit person records from several agencies."""

    include_address: bool = False
    train: bool = True
    # Off only for benchmarks whose duplicates replace given names wholesale (FEBRL); in casework
    # it is what keeps relatives apart.
    household_rule: bool = True
    u_max_pairs: float = 1e6
    em_max_pairs: float | None = 5e5
    deterministic_recall: float = 0.7
    # Remove the true matches hidden among the random pairs from u (see _remove_matches_from_u).
    u_without_matches: bool = True


def settings(options: ModelOptions, dialect: str = "duckdb") -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=comparisons(options.include_address, dialect),
        blocking_rules_to_generate_predictions=PREDICTION_BLOCKING + (ADDRESS_BLOCKING if options.include_address else []),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
        additional_columns_to_retain=["name_as_recorded", "dob_text", "source"],
        probability_two_random_records_match=1e-4,
    )


REFERENCE_MODEL = Path(__file__).resolve().parent.parent / "data" / "resolution_reference_model.json"
REFERENCE_RECORDS = 30_000


def reference_settings(record_count: int) -> dict:
    """Parameters trained on REFERENCE_RECORDS synthetic records (bench/resolution_reference_model.py),
    used when an input is too small to train on. Without an address comparison.

    The prior that two random records match scales as 1/records (matches grow with the records,
    pairs with their square), so it is rescaled to the input's size."""
    with open(REFERENCE_MODEL, encoding="utf-8") as handle:
        model = json.load(handle)
    prior = model["probability_two_random_records_match"] * REFERENCE_RECORDS / max(record_count, 2)
    model["probability_two_random_records_match"] = min(prior, 0.5)
    # Term frequencies counted on a small input are noise (a family of five makes its surname
    # look common), so small inputs are scored without them.
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            level.pop("tf_adjustment_column", None)
            level.pop("tf_adjustment_weight", None)
    return model


def train(linker, options: ModelOptions) -> None:
    """u from seeded random sampling, λ from near-certain rules, m from EM on two blockings
    (each blocking trains the comparisons it does not fix)."""
    linker.training.estimate_probability_two_random_records_match(DETERMINISTIC_RULES, recall=options.deterministic_recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=options.u_max_pairs, seed=SEED, num_chunks=1)
    _bound_unobserved_u(linker, options.u_max_pairs)
    for rule in TRAINING_BLOCKING:
        linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=options.em_max_pairs)
    if options.u_without_matches:
        _remove_matches_from_u(linker, options.u_max_pairs)


def _bound_unobserved_u(linker, sample_pairs: float) -> None:
    """A level that no sampled random pair reached (two different people with the same document
    number, in 1e6 pairs of a million records) is rarer than one in the sample. Splink would
    otherwise fall back to a generic default u (about 1e-3) and weigh the strongest evidence as
    if it were weak; one pair in the sample is the honest bound."""
    for comparison in linker._settings_obj.comparisons:
        for level in comparison.comparison_levels:
            if not (level.is_null_level or level._fix_u_probability or level._has_estimated_u_values):
                level.u_probability = 1 / sample_pairs


def _remove_matches_from_u(linker, sample_pairs: float) -> None:
    """Random pairs include true matches: a share λ when records repeat people often. Their
    agreements inflate u (an exact date of birth looks ten times commoner among non-matches than
    it is) and so weaken the strongest evidence. Observed u = λ·m + (1 − λ)·u, so the u of
    non-matches is (u_observed − λ·m) / (1 − λ), floored at what the sample can resolve (one
    pair) and renormalised per comparison."""
    settings_object = linker._settings_obj
    prior = settings_object._probability_two_random_records_match
    floor = 1 / sample_pairs
    for comparison in settings_object.comparisons:
        levels = [
            level
            for level in comparison.comparison_levels
            if not level.is_null_level and not level._fix_u_probability
            and level.m_probability is not None and level.u_probability is not None
        ]
        corrected = {
            id(level): max((level.u_probability - prior * level.m_probability) / (1 - prior), floor)
            for level in levels
        }
        total = sum(corrected.values())
        if not levels or total <= 0:
            continue
        observed_total = sum(level.u_probability for level in levels)
        for level in levels:
            level.u_probability = corrected[id(level)] * observed_total / total
