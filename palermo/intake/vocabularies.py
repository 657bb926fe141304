"""Choices for intake fields, read from the data files (palermo/intake/data) and the core vocabularies."""

from __future__ import annotations

import csv
from functools import cache

from palermo.core import vocab
from palermo.intake.extraction.indicators import indicator_descriptions
from palermo.intake.extraction.lexicons import DATA_DIR, load_json


@cache
def _csv_choices(name: str) -> list[tuple[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return [(row["code"], row["label"]) for row in csv.DictReader(handle)]


CHANNELS = _csv_choices("channels.csv")
CALLER_TYPES = _csv_choices("caller_types.csv")
VENUE_TYPES = _csv_choices("polaris_typology.csv")
EXPLOITATION_TYPES = vocab.choices("exploitation_types")
STATUSES = [("new", "New"), ("acknowledged", "Acknowledged"), ("closed", "Closed")]


def indicator_choices() -> list[tuple[str, str]]:
    return sorted(indicator_descriptions().items())


def sla_hours() -> dict[str, int]:
    """Hours to first action per triage level (data/sla_hours.json)."""
    return load_json("sla_hours.json")["hours"]


def codes(choices: list[tuple[str, str]]) -> set[str]:
    return {code for code, _ in choices}
