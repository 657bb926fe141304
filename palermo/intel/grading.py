"""Intelligence grading (UK 3x5x2 and EU 4x4, selectable per agency) and inherited dissemination restrictions.

The grades and their labels live in data/grading_3x5x2.json and data/grading_4x4.json. The two models are
not converted into each other: their scales cut the same ground at different points (see
`comparison_note`), so a report received under one model is re-graded by an analyst under the other.

Restrictions travel with a report and with everything derived from it: a product built from several
reports takes the most restrictive handling of its parents and the union of their conditions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data"
MODELS = ("3x5x2", "4x4")


class GradingError(ValueError):
    """A grade or restriction is invalid; `problems` lists every reason, one sentence each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@cache
def grading_model(model: str) -> dict:
    """The model's dimensions, codes and labels, as stored in its data file (for forms and display)."""
    if model not in MODELS:
        raise GradingError([f"unknown grading model {model!r} (expected one of {', '.join(MODELS)})"])
    return json.loads((_DATA / f"grading_{model}.json").read_text(encoding="utf-8"))


def _codes(model: str, dimension: str) -> dict[str, dict]:
    return grading_model(model)["dimensions"][dimension]["codes"]


def _check(model: str, dimension: str, code: str, problems: list[str]) -> None:
    codes = _codes(model, dimension)
    if code not in codes:
        label = grading_model(model)["dimensions"][dimension]["label"].lower()
        problems.append(f"{label} {code!r} is not a {model} code (expected one of {', '.join(codes)})")


def _clean_conditions(conditions: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({text.strip() for text in conditions if text and text.strip()}))


@dataclass(frozen=True)
class Restrictions:
    """Handling code (3x5x2 P or C) and the conditions that go with C; P never carries conditions."""

    handling: str
    conditions: tuple[str, ...] = ()

    @classmethod
    def of(cls, handling: str, conditions: Iterable[str] = ()) -> Restrictions:
        """Validated constructor: C needs at least one written condition, P takes none."""
        handling = handling.strip().upper()
        cleaned = _clean_conditions(conditions)
        problems: list[str] = []
        _check("3x5x2", "handling_code", handling, problems)
        if not problems:
            spec = _codes("3x5x2", "handling_code")[handling]
            if spec["requires_conditions"] and not cleaned:
                problems.append(
                    f"handling code {handling} ({spec['label']}) requires the conditions to be written"
                )
            if not spec["requires_conditions"] and cleaned:
                problems.append(
                    f"handling code {handling} ({spec['label']}) carries no conditions; use C to add them"
                )
        if problems:
            raise GradingError(problems)
        return cls(handling, cleaned)

    @property
    def restrictiveness(self) -> int:
        return _codes("3x5x2", "handling_code")[self.handling]["restrictiveness"]


def derive_restrictions(parents: Sequence[Restrictions]) -> Restrictions:
    """Restrictions of a product derived from several reports: most restrictive handling, conditions unioned."""
    if not parents:
        raise GradingError(
            ["a derived product needs at least one parent report to inherit restrictions from"]
        )
    for parent in parents:
        Restrictions.of(parent.handling, parent.conditions)
    strictest = max(parents, key=lambda parent: parent.restrictiveness).handling
    return Restrictions.of(strictest, (text for parent in parents for text in parent.conditions))


@dataclass(frozen=True)
class Grade:
    """A validated grade: model, one code per dimension, and the restrictions it imposes."""

    model: str
    codes: Mapping[str, str]
    restrictions: Restrictions

    @property
    def code(self) -> str:
        """Short form as analysts write it: '1/B/C' for 3x5x2, 'B2 H1' for 4x4."""
        if self.model == "3x5x2":
            return f"{self.codes['source_evaluation']}/{self.codes['intelligence_assessment']}/{self.restrictions.handling}"
        handling = " ".join(self.codes["handling_codes"].split(",")) if self.codes["handling_codes"] else ""
        return f"{self.codes['source_reliability']}{self.codes['information_accuracy']} {handling}".strip()

    def labels(self) -> dict[str, str]:
        """Dimension label -> code label, for display beside the short code."""
        dimensions = grading_model(self.model)["dimensions"]
        shown = {}
        for dimension, code in self.codes.items():
            spec = dimensions[dimension]
            parts = [spec["codes"][part]["label"] for part in code.split(",") if part]
            shown[spec["label"]] = "; ".join(parts) or "none"
        return shown


def grade_3x5x2(
    source_evaluation: str, intelligence_assessment: str, handling_code: str, conditions: Iterable[str] = ()
) -> Grade:
    """Validate a UK 3x5x2 grade; raises GradingError naming every wrong part."""
    source, assessment, handling = (
        str(v).strip().upper() for v in (source_evaluation, intelligence_assessment, handling_code)
    )
    problems: list[str] = []
    _check("3x5x2", "source_evaluation", source, problems)
    _check("3x5x2", "intelligence_assessment", assessment, problems)
    try:
        restrictions = Restrictions.of(handling, conditions)
    except GradingError as error:
        problems.extend(error.problems)
    if problems:
        raise GradingError(problems)
    return Grade(
        "3x5x2",
        {"source_evaluation": source, "intelligence_assessment": assessment, "handling_code": handling},
        restrictions,
    )


def grade_4x4(
    source_reliability: str,
    information_accuracy: str,
    handling_codes: Iterable[str] = (),
    other_restrictions: str = "",
) -> Grade:
    """Validate an EU 4x4 grade with its H-codes; H3 needs the restriction text written out.

    H1, H2 and H3 each impose a condition, so they become 3x5x2-style handling C with that condition;
    H0 only restates the purpose limitation that applies to all shared intelligence, so alone it is P.
    """
    source, accuracy = str(source_reliability).strip().upper(), str(information_accuracy).strip()
    codes = sorted({str(code).strip().upper() for code in handling_codes if str(code).strip()})
    problems: list[str] = []
    _check("4x4", "source_reliability", source, problems)
    _check("4x4", "information_accuracy", accuracy, problems)
    for code in codes:
        _check("4x4", "handling_codes", code, problems)
    handling_specs = _codes("4x4", "handling_codes")
    if "H3" in codes and not other_restrictions.strip():
        problems.append("handling code H3 (Other restrictions) requires the restriction text to be written")
    if other_restrictions.strip() and "H3" not in codes:
        problems.append("restriction text is given but handling code H3 is not set")
    if problems:
        raise GradingError(problems)
    conditions = [
        f"{code}: {handling_specs[code]['description']}" for code in codes if code in ("H1", "H2")
    ] + ([f"H3: {other_restrictions.strip()}"] if "H3" in codes else [])
    restrictions = Restrictions.of("C" if conditions else "P", conditions)
    return Grade(
        "4x4",
        {"source_reliability": source, "information_accuracy": accuracy, "handling_codes": ",".join(codes)},
        restrictions,
    )


def validate_grade(model: str, fields: Mapping[str, object]) -> Grade:
    """Grade under the agency's chosen model from form fields named as the model's dimensions."""
    if model == "3x5x2":
        return grade_3x5x2(
            str(fields.get("source_evaluation", "")),
            str(fields.get("intelligence_assessment", "")),
            str(fields.get("handling_code", "")),
            fields.get("conditions") or (),
        )
    if model == "4x4":
        return grade_4x4(
            str(fields.get("source_reliability", "")),
            str(fields.get("information_accuracy", "")),
            fields.get("handling_codes") or (),
            str(fields.get("other_restrictions") or ""),
        )
    raise GradingError([f"unknown grading model {model!r} (expected one of {', '.join(MODELS)})"])


def comparison_note(aspect: str) -> str:
    """Why 3x5x2 and 4x4 grades do not convert, for 'source', 'information' or 'handling'."""
    notes = grading_model("4x4")["comparison_with_3x5x2"]
    if aspect not in notes or aspect.startswith("_"):
        raise GradingError([f"no comparison note for {aspect!r} (expected source, information or handling)"])
    return f"Not convertible: {notes[aspect]} {notes['_note']}"
