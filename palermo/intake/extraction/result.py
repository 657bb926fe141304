"""What extraction returns: selectors and indicator hits, each tied to a span of the original text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FoundSelector:
    """A phone, e-mail, handle or URL; `value` is canonical (palermo.core.normalisation),
    `span` is [start, end) in the original text and `raw` the characters there."""

    type: str
    value: str
    span: tuple[int, int]
    raw: str

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "value": self.value, "span": list(self.span)}


@dataclass(frozen=True)
class IndicatorHit:
    """A lexicon term that matched: a prompt for a human to ask about, never a finding."""

    code: str
    span: tuple[int, int]
    term: str
    language: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "span": list(self.span)}


@dataclass(frozen=True)
class Extraction:
    language: str | None
    selectors: list[FoundSelector] = field(default_factory=list)
    indicators: list[IndicatorHit] = field(default_factory=list)

    @property
    def indicator_codes(self) -> list[str]:
        """Distinct codes in order of first appearance (the input triage expects)."""
        return list(dict.fromkeys(hit.code for hit in self.indicators))

    def as_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "selectors": [selector.as_dict() for selector in self.selectors],
            "indicators": [hit.as_dict() for hit in self.indicators],
        }
