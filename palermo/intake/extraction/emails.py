"""E-mail addresses, including 'ana at mail dot com', 'ana (at) mail [dot] com', 'ana arroba mail punto com'.

Two shapes are accepted. Strict: a real @ (spaces allowed around it) or a bracketed at-word; the
domain's dots may then be spaced, bracketed or words. Loose: a bare at-word ('ana at mail.com');
ordinary sentences use 'at' too, so the domain's dots must then be unspaced, bracketed or dot-words.
Either way the address must end in a known top-level domain (palermo/intake/data/tlds.txt).
"""

from __future__ import annotations

import re
from functools import cache

from palermo.core.normalisation import NormalisationError, normalise_email
from palermo.intake.extraction.lexicons import load_json, top_level_domains
from palermo.intake.extraction.mapped_text import MappedText
from palermo.intake.extraction.result import FoundSelector

_LOCAL = r"[a-z0-9_%+\-]+"
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    words = load_json("email_words.json")
    at_words = "|".join(re.escape(w) for w in words["at"])
    dot_words = "|".join(re.escape(w) for w in words["dot"])
    bracketed_at = rf"\s*[(\[{{<]\s*(?:{at_words}|@)\s*[)\]}}>]\s*"
    bracketed_dot = rf"\s*[(\[{{<]\s*(?:{dot_words}|\.)\s*[)\]}}>]\s*"
    word_dot = rf"\s+(?:{dot_words})\s+"
    strict_at = rf"(?:\s?@\s?|{bracketed_at})"
    loose_at = rf"\s+(?:{at_words})\s+"
    strict_dot = rf"(?:{bracketed_dot}|{word_dot}|\s\.\s|\.)"
    loose_dot = rf"(?:{bracketed_dot}|{word_dot}|\.)"
    tld = "|".join(sorted(top_level_domains(), key=len, reverse=True))

    def address(at: str, dot: str) -> re.Pattern[str]:
        return re.compile(
            rf"(?<![a-z0-9_%+\-.@])(?P<local>{_LOCAL}(?:{loose_dot}{_LOCAL})*){at}"
            rf"(?P<domain>{_LABEL}(?:{dot}{_LABEL})*{dot}(?:{tld}))(?![a-z0-9_\-@])",
            re.IGNORECASE,
        )

    separator_dot = re.compile(rf"{bracketed_dot}|{word_dot}|\s\.\s|\.", re.IGNORECASE)
    return address(strict_at, strict_dot), address(loose_at, loose_dot), separator_dot


def find_emails(folded: MappedText, original: str) -> list[FoundSelector]:
    strict, loose, separator_dot = _patterns()
    found: list[FoundSelector] = []
    taken: list[tuple[int, int]] = []
    not_local = frozenset(load_json("email_words.json")["loose_form_not_local_parts"])
    for pattern in (strict, loose):
        for match in pattern.finditer(folded.text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            if pattern is loose and match.group("local").lower() in not_local:
                continue
            local = separator_dot.sub(".", match.group("local"))
            domain = separator_dot.sub(".", match.group("domain"))
            try:
                value = normalise_email(f"{local}@{domain}")
            except NormalisationError:
                continue
            taken.append(match.span())
            span = folded.original_span(*match.span())
            found.append(FoundSelector("email", value, span, original[span[0] : span[1]]))
    return found
