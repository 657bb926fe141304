"""The Palermo Protocol test (art. 3): act + means + purpose for adults, act + purpose for children.

Each element is supported by findings that record the facts and their sources. Consent is recorded
for the file but never enters the decision (art. 3(b)): it cannot negate an element.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from ._data import load
from .children import AgeStatus, age_status
from .errors import ProtectionDomainError

ELEMENTS = ("act", "means", "purpose")
_VOCABULARY_KEYS = {"act": "acts", "means": "means", "purpose": "purposes"}


@dataclass(frozen=True)
class Finding:
    """One fact supporting an element, e.g. element='means', code='deception'."""

    element: str
    code: str
    facts: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ElementResult:
    element: str
    met: bool
    required: bool
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class PalermoResult:
    met: bool
    age: AgeStatus
    elements: dict[str, ElementResult]
    consent_note: str
    explanation: str


def vocabulary(element: str) -> dict[str, str]:
    """Code -> label for an element's controlled vocabulary (from palermo_elements.json)."""
    if element not in ELEMENTS:
        raise ProtectionDomainError(f"Unknown element {element!r}; expected one of {ELEMENTS}.")
    return {entry["code"]: entry["label"] for entry in load("palermo_elements.json")[_VOCABULARY_KEYS[element]]}


def purpose_htcds_code(code: str) -> str:
    """The HTCDS vic_TypeOfExploitation value a purpose maps to."""
    for entry in load("palermo_elements.json")["purposes"]:
        if entry["code"] == code:
            return entry["htcds"]
    raise ProtectionDomainError(f"Unknown purpose {code!r}.")


def _validate(finding: Finding) -> None:
    labels = vocabulary(finding.element)
    if finding.code not in labels:
        raise ProtectionDomainError(
            f"Unknown {finding.element} {finding.code!r}; expected one of {', '.join(labels)}."
        )
    if not finding.facts or not finding.facts.strip():
        raise ProtectionDomainError(f"The {finding.element} '{finding.code}' needs the facts that support it.")
    if not finding.sources or not all(source and source.strip() for source in finding.sources):
        raise ProtectionDomainError(
            f"The {finding.element} '{finding.code}' needs at least one source (interview, document, report)."
        )


def _consent_note(consent_to_exploitation_recorded: bool, means_present: bool, is_child: bool) -> str:
    if not consent_to_exploitation_recorded:
        return "No consent to the exploitation is recorded."
    if is_child:
        return "Consent is recorded but irrelevant: the person is a child (art. 3(c))."
    if means_present:
        return "Consent is recorded but irrelevant because means are established (art. 3(b))."
    return ("Consent is recorded; it does not decide the test, which turns on whether means are "
            "established (art. 3(b)).")


def palermo_test(findings: Iterable[Finding], *, age: float | None, age_uncertain: bool = False,
                 consent_to_exploitation_recorded: bool = False) -> PalermoResult:
    """Apply art. 3 to the recorded findings; the consent flag only shapes the note, never the result."""
    findings = tuple(findings)
    for finding in findings:
        _validate(finding)
    status = age_status(age, uncertain=age_uncertain)
    grouped = {element: tuple(f for f in findings if f.element == element) for element in ELEMENTS}
    elements = {
        element: ElementResult(element, bool(grouped[element]),
                               required=not (element == "means" and status.is_child),
                               findings=grouped[element])
        for element in ELEMENTS
    }
    met = all(result.met for result in elements.values() if result.required)

    parts = [status.explanation]
    for element, result in elements.items():
        labels = vocabulary(element)
        if result.met:
            supported = "; ".join(f"{labels[f.code]} ({f.facts.strip()} [sources: {', '.join(f.sources)}])"
                                  for f in result.findings)
            parts.append(f"{element.capitalize()} established: {supported}.")
        elif result.required:
            parts.append(f"{element.capitalize()} not established.")
        else:
            parts.append("Means not required for a child.")
    rule = "act and purpose (child)" if status.is_child else "act, means and purpose (adult)"
    parts.append(("Test met" if met else "Test not met") + f": requires {rule}.")
    consent = _consent_note(consent_to_exploitation_recorded, elements["means"].met, status.is_child)
    parts.append(consent)
    return PalermoResult(met, status, elements, consent, " ".join(parts))
