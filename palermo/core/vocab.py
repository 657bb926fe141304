"""Controlled vocabularies read from the CSV files in `vocabularies/` (HTCDS v2.0 plus extensions)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pycountry

VOCABULARY_DIR = Path(__file__).resolve().parent / "vocabularies"


@cache
def vocabulary(name: str) -> dict[str, str]:
    """code -> label, in file order."""
    with (VOCABULARY_DIR / f"{name}.csv").open(encoding="utf-8") as handle:
        return {row["code"]: row["label"] for row in csv.DictReader(handle)}


def choices(name: str) -> list[tuple[str, str]]:
    return list(vocabulary(name).items())


def agency_type_choices() -> list[tuple[str, str]]:
    with (VOCABULARY_DIR / "organisation_types.csv").open(encoding="utf-8") as handle:
        return [(r["code"], r["label"]) for r in csv.DictReader(handle) if "agency" in r["applies_to"].split()]


def label(name: str, code: str) -> str:
    return vocabulary(name).get(code, code)


def unknown_codes(name: str, codes: list[str]) -> list[str]:
    known = vocabulary(name)
    return [code for code in codes if code not in known]


@cache
def countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 -> English short name."""
    return {c.alpha_2: c.name for c in sorted(pycountry.countries, key=lambda c: c.name)}


def country_choices() -> list[tuple[str, str]]:
    return list(countries().items())


def is_country(code: str) -> bool:
    return code in countries()
