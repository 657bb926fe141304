"""Trafficking indicators from the multilingual lexicon in palermo/intake/data/indicator_lexicon.json.

All languages' terms run on every tip: reporters mix languages and language detection on a short
tip is unreliable. Terms are folded like the text (lower case, no accents), so 'Pașaportul' and
'pasaportul' match the same term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from palermo.intake.extraction.lexicons import load_json
from palermo.intake.extraction.mapped_text import search_form
from palermo.intake.extraction.result import IndicatorHit

_CJK = re.compile(r"[\u3400-\u9fff]")
_TERM_PARTS = re.compile(r"\(\?:[^)]*\)|\.\.|\*|\s+|[^\s*(.]+|[(.]")
_GAP_WORDS = r"(?:\s+\S+){0,3}\s+"


@dataclass(frozen=True)
class _Term:
    code: str
    language: str
    term: str
    pattern: re.Pattern[str]
    anchor: str  # a literal every match contains: a cheap test before running the pattern


def compile_term(term: str) -> tuple[re.Pattern[str], str]:
    """Lexicon term syntax to a regular expression (see the lexicon's 'about'), and the longest
    literal piece of the term."""
    folded = search_form(term).text
    pieces = []
    parts = _TERM_PARTS.findall(folded)
    anchor = max(
        (p for p in parts if not p.startswith("(?:") and p not in ("..", "*") and not p.isspace()), key=len
    )
    for part in parts:
        if part.startswith("(?:"):
            alternatives = part[3:-1].split("|")
            pieces.append("(?:" + "|".join(re.escape(a) for a in alternatives) + ")")
        elif part == "..":
            pieces.append(_GAP_WORDS)
        elif part == "*":
            pieces.append(r"\w*")
        elif part.isspace():
            pieces.append(r"[\s\-]+")
        else:
            pieces.append(re.escape(part))
    body = (
        "".join(pieces)
        .replace(r"[\s\-]+" + _GAP_WORDS, _GAP_WORDS)
        .replace(_GAP_WORDS + r"[\s\-]+", _GAP_WORDS)
    )
    if _CJK.search(folded):
        return re.compile(body), anchor
    return re.compile(rf"(?<!\w){body}(?!\w)"), anchor


@cache
def lexicon_terms() -> tuple[_Term, ...]:
    lexicon = load_json("indicator_lexicon.json")
    terms: list[_Term] = []
    for indicator in lexicon["indicators"]:
        for language, words in indicator["terms"].items():
            terms.extend(_Term(indicator["code"], language, word, *compile_term(word)) for word in words)
        for language, patterns in indicator.get("patterns", {}).items():
            terms.extend(_Term(indicator["code"], language, p, re.compile(p), "") for p in patterns)
    return tuple(terms)


@cache
def indicator_descriptions() -> dict[str, str]:
    return {item["code"]: item["description"] for item in load_json("indicator_lexicon.json")["indicators"]}


def find_indicators(text: str) -> list[IndicatorHit]:
    """One hit per code and place: where terms of the same code overlap, the longest wins."""
    folded = search_form(text)
    candidates: list[tuple[IndicatorHit, int]] = []
    for term in lexicon_terms():
        if term.anchor not in folded.text:
            continue
        for match in term.pattern.finditer(folded.text):
            if match.end() == match.start():
                continue
            span = folded.original_span(*match.span())
            candidates.append((IndicatorHit(term.code, span, term.term, term.language), span[1] - span[0]))
    candidates.sort(key=lambda item: (-item[1], item[0].span[0]))
    kept: list[IndicatorHit] = []
    for hit, _ in candidates:
        if any(k.code == hit.code and hit.span[0] < k.span[1] and k.span[0] < hit.span[1] for k in kept):
            continue
        kept.append(hit)
    return sorted(kept, key=lambda hit: (hit.span[0], hit.code))
