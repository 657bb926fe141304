"""Evidence for and against each proposed merge, and the household rule.

A reviewer must see *why* two records were proposed as one person: which fields agreed, which
disagreed, and how much each weighed. Relatives often share a family name, an address and a
phone; those fields alone must never merge two people, whatever their combined weight.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

# Comparisons that identify a person rather than a household.
PERSONAL = ("given_name", "date_of_birth", "document_key", "email")
# Lowest level label that still counts as personal agreement, per comparison.
AGREEMENT_FLOOR = {
    "given_name": "given names sound alike",
    "date_of_birth": "years of birth one apart",
    "document_key": "document numbers one character apart",
    "email": "same e-mail address",
}
FIELD_NAMES = {
    "given_name": "given name",
    "family_name": "family name",
    "date_of_birth": "date of birth",
    "document_key": "document number",
    "phone": "phone",
    "email": "e-mail",
    "nationality": "nationality",
    "gender": "gender",
    "address": "address",
}
# When the records share a household's phone or address, weaker personal agreement (given names
# that only sound alike, years of birth one apart) is what brothers Hasan and Husein have: one of
# these must hold instead.
STRONG_FLOOR = {
    "given_name": "given names spelled almost the same",
    "date_of_birth": "dates of birth one typo apart (as typed, even if impossible)",
}
HOUSEHOLD_FLOOR = {
    "phone": "same phone number, country code written differently",
    "address": "same house and postal numbers, street written differently",
}
HOUSEHOLD_RULE = (
    "household rule: the records share only household fields, or their given names or dates of "
    "birth clearly differ, or they share a phone or address while neither the given name nor the "
    "date of birth agrees closely, and no document number agrees (within one character); "
    "relatives are never merged on shared family name, address or phone"
)


@dataclass(frozen=True)
class Level:
    comparison: str
    description: str
    label: str
    value: int


def level_table(model: dict) -> dict[str, dict[int, Level]]:
    """Comparison → gamma value → level, from a saved Splink model (Splink numbers the null
    level -1 and the others from the most to the least similar, down to 0)."""
    table: dict[str, dict[int, Level]] = {}
    for comparison in model["comparisons"]:
        levels = comparison["comparison_levels"]
        non_null = [level for level in levels if not level.get("is_null_level")]
        values: dict[int, Level] = {}
        counter = len(non_null) - 1
        for level in levels:
            value = -1 if level.get("is_null_level") else counter
            if not level.get("is_null_level"):
                counter -= 1
            values[value] = Level(
                comparison["output_column_name"],
                FIELD_NAMES.get(comparison["output_column_name"], comparison["output_column_name"]),
                level.get("label_for_charts") or level["sql_condition"],
                value,
            )
        table[comparison["output_column_name"]] = values
    return table


def _floor_value(levels: dict[int, Level], label: str) -> int:
    return next(level.value for level in levels.values() if level.label == label)


def _at_least(pairs: pd.DataFrame, levels: dict[str, dict[int, Level]], comparison: str, label: str) -> pd.Series:
    return pairs[f"gamma_{comparison}"] >= _floor_value(levels[comparison], label)


def merge_allowed(pairs: pd.DataFrame, levels: dict[str, dict[int, Level]]) -> pd.Series:
    """Vectorised household rule: a pair may merge only if a document number agrees, or a
    personal field agrees while neither the given names nor the dates of birth clearly differ;
    and when the pair shares a household's phone or address, the given name or the date of
    birth (or the e-mail) must agree closely, not merely sound alike or be a year apart."""
    document_agrees = _at_least(pairs, levels, "document_key", AGREEMENT_FLOOR["document_key"])
    personal = pd.Series(False, index=pairs.index)
    for comparison in PERSONAL:
        personal |= _at_least(pairs, levels, comparison, AGREEMENT_FLOOR[comparison])
    given_differs, dob_differs = pairs["gamma_given_name"] == 0, pairs["gamma_date_of_birth"] == 0
    shares_household = pd.Series(False, index=pairs.index)
    for comparison, label in HOUSEHOLD_FLOOR.items():
        if comparison in levels:
            shares_household |= _at_least(pairs, levels, comparison, label)
    closely_personal = (
        _at_least(pairs, levels, "email", AGREEMENT_FLOOR["email"])
        | (_at_least(pairs, levels, "given_name", STRONG_FLOOR["given_name"]) & ~dob_differs)
        | (_at_least(pairs, levels, "date_of_birth", STRONG_FLOOR["date_of_birth"]) & ~given_differs)
    )
    return document_agrees | (personal & ~(given_differs | dob_differs) & (~shares_household | closely_personal))


@dataclass(frozen=True)
class FieldComparison:
    """How one field compared, without the values: what a reviewer sees before anyone reveals an identity."""

    field: str
    level: str
    weight: float | None  # None when the field is missing on one side

    @property
    def direction(self) -> str:
        if self.weight is None:
            return "missing"
        return "for" if self.weight > 0 else "against"


@dataclass
class PairEvidence:
    """One proposed merge for the review queue."""

    record_id_left: str
    record_id_right: str
    match_probability: float
    match_weight: float
    merge_allowed: bool
    evidence_for: list[str] = field(default_factory=list)
    evidence_against: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    comparisons: list[FieldComparison] = field(default_factory=list)

    def summary(self) -> str:
        verdict = "may be merged" if self.merge_allowed else "must not be merged automatically"
        return f"{self.record_id_left} ~ {self.record_id_right}: probability {self.match_probability:.3f}, {verdict}"


_SHOWN_VALUES = {
    "given_name": "name_as_recorded",
    "family_name": "name_as_recorded",
    "date_of_birth": "dob_text",
    "phone": "phone_tail",
}


def _value(row: pd.Series, comparison: str, side: str) -> str:
    column = _SHOWN_VALUES.get(comparison, comparison)
    value = row.get(f"{column}_{side}")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return str(value)


def explain(row: pd.Series, levels: dict[str, dict[int, Level]], allowed: bool) -> PairEvidence:
    evidence = PairEvidence(
        record_id_left=str(row["record_id_l"]),
        record_id_right=str(row["record_id_r"]),
        match_probability=float(row["match_probability"]),
        match_weight=float(row["match_weight"]),
        merge_allowed=allowed,
    )
    for comparison, by_value in levels.items():
        level = by_value[int(row[f"gamma_{comparison}"])]
        if level.value == -1:
            evidence.missing.append(level.description)
            evidence.comparisons.append(FieldComparison(level.description, level.label, None))
            continue
        weight = float(row[f"mw_{comparison}"])
        tf_column = f"mw_tf_adj_{comparison}"
        if tf_column in row.index and not pd.isna(row[tf_column]):
            weight += float(row[tf_column])
        line = (
            f"{level.description}: {level.label} "
            f"({_value(row, comparison, 'l')} | {_value(row, comparison, 'r')}), weight {weight:+.1f}"
        )
        (evidence.evidence_for if weight > 0 else evidence.evidence_against).append(line)
        evidence.comparisons.append(FieldComparison(level.description, level.label, round(weight, 1)))
    if not allowed:
        evidence.evidence_against.append(HOUSEHOLD_RULE)
    return evidence
