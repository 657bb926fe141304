"""extract(text, country): selectors and trafficking indicators from one free-text tip."""

from __future__ import annotations

import phonenumbers

from palermo.intake.extraction.emails import find_emails
from palermo.intake.extraction.indicators import find_indicators
from palermo.intake.extraction.language import detect_language
from palermo.intake.extraction.mapped_text import fold_characters
from palermo.intake.extraction.online import find_handles, find_links
from palermo.intake.extraction.phones import find_phones
from palermo.intake.extraction.result import Extraction, FoundSelector


class UnknownCountryError(ValueError):
    """The country is not an ISO 3166 region that phone numbers can be resolved in."""


def check_country(country: str | None) -> str | None:
    """Upper-cased ISO 3166 alpha-2 code, or None when the tip's country is not known."""
    if country is None or not country.strip():
        return None
    code = country.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise UnknownCountryError(
            f"unknown country {country!r}: expected an ISO 3166 two-letter code such as RO"
        )
    return code


def extract(text: str, country: str | None = None) -> Extraction:
    """Selectors come out in text order with spans into `text`. The order of the passes matters:
    e-mails first (their local parts hold digits and words), then links, then handles, and
    phones last on whatever is left, so no characters are claimed twice."""
    region = check_country(country)
    folded = fold_characters(text)
    selectors: list[FoundSelector] = []
    selectors += find_emails(folded, text)
    selectors += [s for s in find_links(folded, text, region) if not _claimed(s, selectors)]
    selectors += [s for s in find_handles(folded, text) if not _claimed(s, selectors)]
    selectors += find_phones(folded, text, region, occupied=[s.span for s in selectors])
    selectors.sort(key=lambda s: s.span)
    return Extraction(
        language=detect_language(_without_selectors(text, selectors)),
        selectors=selectors,
        indicators=find_indicators(text),
    )


def _claimed(selector: FoundSelector, taken: list[FoundSelector]) -> bool:
    start, end = selector.span
    return any(start < other.span[1] and other.span[0] < end for other in taken)


def _without_selectors(text: str, selectors: list[FoundSelector]) -> str:
    """Addresses and numbers say nothing about the reporter's language and confuse the detector."""
    pieces, position = [], 0
    for selector in selectors:
        pieces.append(text[position : selector.span[0]])
        position = max(position, selector.span[1])
    pieces.append(text[position:])
    return " ".join(pieces)
