"""Urgency of an intake signal: a level, a 0-100 score and the plain-language reasons behind it.

Plain Python (no Django). The weights live in palermo/intake/data/triage_weights.json. The input
type has no field for nationality, ethnicity or religion and refuses them by name, so they cannot
become risk features by accident; movement language is not an input either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any

from palermo.intake.extraction.indicators import indicator_descriptions
from palermo.intake.extraction.lexicons import load_json

LEVELS = ("critical", "high", "medium", "low")


class ProhibitedFeatureError(ValueError):
    """Someone tried to triage on nationality, ethnicity, religion or a stand-in for them."""


@dataclass(frozen=True)
class TriageFacts:
    """What the operator or the reporter told us, plus indicator codes found in the text.
    None means 'not known' and counts as nothing."""

    minor_involved: bool | None = None
    immediate_danger: bool | None = None
    ongoing_exploitation: bool | None = None
    location_known: bool | None = None
    caller_is_victim: bool | None = None
    indicator_codes: tuple[str, ...] = ()
    repeated_signals: int = 0

    def __post_init__(self) -> None:
        known = indicator_descriptions()
        unknown = [code for code in self.indicator_codes if code not in known]
        if unknown:
            raise ValueError(f"unknown indicator code(s): {', '.join(unknown)}")
        if self.repeated_signals < 0:
            raise ValueError("repeated_signals counts earlier reports and cannot be negative")
        object.__setattr__(self, "indicator_codes", tuple(dict.fromkeys(self.indicator_codes)))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> TriageFacts:
        """Build from a form or API payload; prohibited and unknown keys are refused, not ignored."""
        prohibited = sorted(set(data) & set(_weights()["prohibited_inputs"]))
        if prohibited:
            raise ProhibitedFeatureError(
                f"{', '.join(prohibited)} may never be used to triage a report "
                "(nationality, ethnicity and religion are not risk features)"
            )
        allowed = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise ValueError(
                f"unknown triage fact(s): {', '.join(unknown)}; expected {', '.join(sorted(allowed))}"
            )
        values = dict(data)
        if "indicator_codes" in values:
            values["indicator_codes"] = tuple(values["indicator_codes"])
        return cls(**values)


@dataclass(frozen=True)
class TriageResult:
    level: str
    score: int
    reasons: list[str] = field(default_factory=list)


@cache
def _weights() -> dict[str, Any]:
    return load_json("triage_weights.json")


def triage(facts: TriageFacts | Mapping[str, Any]) -> TriageResult:
    """Each contributing factor adds its points and its reason; a factor with a minimum level
    (immediate danger, a minor) lifts the level to at least that, whatever the score."""
    if not isinstance(facts, TriageFacts):
        facts = TriageFacts.from_mapping(facts)
    weights = _weights()
    score = 0
    reasons: list[str] = []
    floor = "low"
    for name, factor in weights["factors"].items():
        if getattr(facts, name):
            score += factor["points"]
            reasons.append(f"{factor['reason']} (+{factor['points']})")
            floor = _higher(floor, factor.get("minimum_level", "low"))

    indicator_rules = weights["indicators"]
    descriptions = indicator_descriptions()
    indicator_points = 0
    for code in facts.indicator_codes:
        points = indicator_rules["points"][code]
        granted = min(points, indicator_rules["maximum"] - indicator_points)
        indicator_points += granted
        reason = indicator_rules["reason"].format(description=descriptions[code].rstrip("."))
        capped = "" if granted == points else f", capped at {indicator_rules['maximum']} for all indicators"
        reasons.append(f"{reason} [{code}] (+{granted}{capped})")
    score += indicator_points

    if facts.repeated_signals:
        rule = weights["repeated_signals"]
        points = min(rule["points_each"] * facts.repeated_signals, rule["maximum"])
        score += points
        reasons.append(f"{rule['reason'].format(count=facts.repeated_signals)} (+{points})")

    score = min(score, 100)
    by_score = next(item["level"] for item in weights["levels"] if score >= item["minimum_score"])
    level = _higher(by_score, floor)
    if level != by_score:
        reasons.append(f"Level raised to {level}: {_floor_reason(facts, level)}")
    if not reasons:
        reasons.append("No urgency factor was reported; the report is queued in order of arrival.")
    return TriageResult(level=level, score=score, reasons=reasons)


def _higher(first: str, second: str) -> str:
    return first if LEVELS.index(first) <= LEVELS.index(second) else second


def _floor_reason(facts: TriageFacts, level: str) -> str:
    names = [
        factor["reason"].rstrip(".").lower()
        for name, factor in _weights()["factors"].items()
        if getattr(facts, name) and factor.get("minimum_level") == level
    ]
    return "; ".join(names) + "."
