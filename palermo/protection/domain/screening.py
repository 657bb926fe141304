"""ILO/EC 2009 indicator screening: which dimensions are positive, and the outcome that follows.

The outcome is a screening result (insufficient indicators / possible victim / presumed victim),
never the final decision, which only an authorised role takes (see decision.py).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from . import catalogue
from .catalogue import Indicator
from .children import AgeStatus, age_status
from .errors import UnknownIndicatorError

INSUFFICIENT = "insufficient_indicators"
POSSIBLE = "possible_victim"
PRESUMED = "presumed_victim"


@dataclass(frozen=True)
class DimensionResult:
    key: str
    name: str
    label: str
    positive: bool
    indicators: tuple[Indicator, ...]

    def count(self, strength: str) -> int:
        return sum(1 for indicator in self.indicators if indicator.strength == strength)


@dataclass(frozen=True)
class ScreeningResult:
    list_key: str
    age: AgeStatus
    dimensions: tuple[DimensionResult, ...]
    outcome: str
    explanation: str

    def dimension_flags(self) -> dict[str, bool]:
        return {result.name: result.positive for result in self.dimensions}


def dimension_is_positive(strong: int, medium: int, weak: int) -> bool:
    """Apply the published dimension rule from the catalogue to counts of distinct indicators."""
    counts = {"strong": strong, "medium": medium, "weak": weak, "medium_or_weak": medium + weak}
    for combination in catalogue.raw()["dimension_rule"]["any_of"]:
        if all(counts[kind] >= needed for kind, needed in combination.items()):
            return True
    return False


def _resolve(codes: Iterable[str], list_key: str) -> list[Indicator]:
    seen: dict[str, Indicator] = {}
    for code in codes:
        if not isinstance(code, str):
            raise UnknownIndicatorError(f"Indicator codes are strings, not {code!r}.")
        seen.setdefault(code, catalogue.lookup(code.strip(), list_key))
    return list(seen.values())


def _evaluate_dimensions(found: list[Indicator]) -> tuple[DimensionResult, ...]:
    results = []
    for dim in catalogue.dimensions():
        own = tuple(sorted((i for i in found if i.dimension == dim.key),
                           key=lambda i: (catalogue.STRENGTHS.index(i.strength), i.code)))
        counts = [sum(1 for i in own if i.strength == s) for s in catalogue.STRENGTHS]
        results.append(DimensionResult(dim.key, dim.name, dim.label, dimension_is_positive(*counts), own))
    return tuple(results)


def _describe_dimension(result: DimensionResult) -> str:
    if not result.indicators:
        return f"{result.label}: no indicators"
    listed = "; ".join(f"{i.strength} '{i.wording}'" for i in result.indicators)
    return f"{result.label} ({listed})"


def _rule_met(rule: list[list[str]], by_key: dict[str, DimensionResult]) -> tuple[bool, list[str]]:
    """Whether every group of the person rule has a positive dimension; also which groups are missing."""
    missing = []
    for group in rule:
        if not any(by_key[key].positive for key in group):
            missing.append(" or ".join(by_key[key].label.lower() for key in group))
    return not missing, missing


def screen(codes: Iterable[str], *, age: float | None, exploitation: str,
           age_uncertain: bool = False) -> ScreeningResult:
    """Screen one person: age picks the adults or children list; the codes must come from that list."""
    status = age_status(age, uncertain=age_uncertain)
    population = "children" if status.is_child else "adults"
    key = catalogue.list_key(population, exploitation)
    catalogue.indicators_of(key)
    found = _resolve(codes, key)
    results = _evaluate_dimensions(found)
    by_key = {result.key: result for result in results}
    person_rule = catalogue.raw()["person_rules"][population]
    met, missing = _rule_met(person_rule["all_of"], by_key)
    positive = [r for r in results if r.positive]
    if met:
        outcome = PRESUMED
    elif positive:
        outcome = POSSIBLE
    else:
        outcome = INSUFFICIENT

    lines = [f"{status.explanation} Screened against the ILO/EC 2009 {catalogue.list_label(key)} list."]
    if positive:
        lines.append("Positive dimensions: " + "; ".join(_describe_dimension(r) for r in positive) + ".")
    not_positive_with_indicators = [r for r in results if not r.positive and r.indicators]
    if not_positive_with_indicators:
        lines.append("Indicators present but not enough to make the dimension positive: "
                     + "; ".join(_describe_dimension(r) for r in not_positive_with_indicators) + ".")
    if outcome == PRESUMED:
        lines.append(f"Presumed victim: the published combination for {population} is met: "
                     f"{person_rule['description']}")
    else:
        label = "Possible victim" if outcome == POSSIBLE else "Insufficient indicators"
        lines.append(f"{label}: missing a positive dimension for " + "; ".join(missing)
                     + f". Rule for {population}: {person_rule['description']}")
    if population == "children":
        lines.append("For a child no means are required; confirm the act and purpose with the Palermo test.")
    lines.append(catalogue.raw()["dimension_rule"]["description"]
                 + " This is a screening result, not the final decision.")
    return ScreeningResult(key, status, results, outcome, " ".join(lines))
