"""Non-name identity fields: document numbers read by OCR, nationality, gender."""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache, lru_cache

from anyascii import anyascii

from palermo.core.normalisation import NormalisationError, normalise_code

from .names import DATA_DIR

# Letters and digits that passport scanners and tired eyes confuse; both sides of a comparison
# are folded the same way, so A8O123 and AB0123 meet.
OCR_CONFUSIONS = str.maketrans({"O": "0", "I": "1", "S": "5", "B": "8", "Z": "2"})


def document_ocr_key(raw: str | None) -> str:
    """Document number with OCR-confusable characters folded ('' when there is none)."""
    try:
        return normalise_code(raw or "").translate(OCR_CONFUSIONS)
    except NormalisationError:
        return ""


def _country_key(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold().strip()
    return re.sub(r"[\s.'’-]+", " ", folded)


@cache
def _country_index() -> dict[str, str]:
    """Every name, ISO code and nationality adjective (several languages) → ISO alpha-2."""
    index: dict[str, str] = {}
    with open(DATA_DIR / "country_names.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            index.setdefault(_country_key(row["name"]), row["alpha_2"])
            index.setdefault(_country_key(row["alpha_2"]), row["alpha_2"])
    with open(DATA_DIR / "country_aliases.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            index.setdefault(_country_key(row["alias"]), row["alpha_2"])
    return index


@lru_cache(maxsize=10_000)
def nationality_code(raw: str | None) -> str:
    """ISO 3166 alpha-2 code for a country name, code or nationality adjective in any of the
    languages in the data file; '' when it is empty or not recognised."""
    text = (raw or "").strip()
    if not text:
        return ""
    index = _country_index()
    key = _country_key(text)
    return index.get(key) or index.get(_country_key(anyascii(text))) or ""


@cache
def _gender_terms() -> dict[str, str]:
    with open(DATA_DIR / "gender_terms.csv", encoding="utf-8", newline="") as handle:
        return {row["term"].casefold(): row["code"] for row in csv.DictReader(handle)}


def gender_code(raw: str | None) -> str:
    """'m', 'f' or '' (unknown, other or not stated: never guessed)."""
    return _gender_terms().get((raw or "").strip().casefold(), "")
