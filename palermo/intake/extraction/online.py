"""Web addresses and online handles ('@ana_x', 'telegram: ana_x', 't.me/ana_x').

Links that stand for another selector are reported as that selector: wa.me/40721234567 is the
phone +40721234567 and t.me/ana_x is the handle telegram:ana_x, so linking sees one selector
rather than a URL that hides it.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import parse_qs, urlsplit

from palermo.core.normalisation import NormalisationError, normalise_handle, normalise_url
from palermo.intake.extraction.lexicons import load_json, top_level_domains
from palermo.intake.extraction.mapped_text import MappedText
from palermo.intake.extraction.phones import valid_phone
from palermo.intake.extraction.result import FoundSelector

_HANDLE_NAME = r"[a-z_][a-z0-9_.]{1,31}"
_TRAILING_PUNCTUATION = ".,;:!?)]}'\"»>"
# A URL ends at whitespace, quotes, or the first CJK character (Chinese text runs on without spaces).
_URL_CHARACTER = r"[^\s<>\"'`\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"


@cache
def _url_pattern() -> re.Pattern[str]:
    tld = "|".join(sorted(top_level_domains(), key=len, reverse=True))
    label = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
    return re.compile(
        rf"(?:https?://|www\.){_URL_CHARACTER}+"
        rf"|(?<![a-z0-9_@.\-/])(?:{label}\.)+(?:{tld})(?![a-z0-9_\-])(?:/{_URL_CHARACTER}*)?",
        re.IGNORECASE,
    )


@cache
def _handle_patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    platforms = load_json("handle_platforms.json")["platforms"]
    alias_to_platform = {alias.lower(): code for code, aliases in platforms.items() for alias in aliases}
    aliases = "|".join(re.escape(a) for a in sorted(alias_to_platform, key=len, reverse=True))
    prefixed = re.compile(
        rf"(?<![a-z0-9_\u0400-\u04ff])(?P<platform>{aliases})(?:\s*(?:id|nick|user))?"
        rf"(?:\s*[:：=\-\u2013]\s*@?|\s+@)(?P<name>{_HANDLE_NAME})",
        re.IGNORECASE,
    )
    bare = re.compile(rf"(?<![a-z0-9_@.])@(?P<name>{_HANDLE_NAME})", re.IGNORECASE)
    return prefixed, bare, alias_to_platform


def find_links(folded: MappedText, original: str, region: str | None) -> list[FoundSelector]:
    """URLs, plus phones and handles written as links."""
    data = load_json("handle_platforms.json")
    found: list[FoundSelector] = []
    for match in _url_pattern().finditer(folded.text):
        raw = match.group().rstrip(_TRAILING_PUNCTUATION)
        start, end = match.start(), match.start() + len(raw)
        selector = _link_selector(raw, data, region)
        if selector is None:
            continue
        kind, value = selector
        span = folded.original_span(start, end)
        found.append(FoundSelector(kind, value, span, original[span[0] : span[1]]))
    return found


def _link_selector(raw: str, data: dict, region: str | None) -> tuple[str, str] | None:
    try:
        value = normalise_url(raw)
    except NormalisationError:
        return None
    parts = urlsplit("https://" + value)
    host = parts.hostname or ""
    path = parts.path.strip("/")
    if host in data["phone_link_hosts"]:
        digits = parse_qs(parts.query).get("phone", [path])[0]
        phone = valid_phone("+" + re.sub(r"\D", "", digits), region)
        return ("phone", phone) if phone else None
    platform = data["link_hosts"].get(host)
    if platform and path and "/" not in path:
        try:
            return "handle", normalise_handle(path, platform)
        except NormalisationError:
            return None
    return "url", value


def find_handles(folded: MappedText, original: str) -> list[FoundSelector]:
    prefixed, bare, alias_to_platform = _handle_patterns()
    found: list[FoundSelector] = []
    taken: list[tuple[int, int]] = []
    for pattern in (prefixed, bare):
        for match in pattern.finditer(folded.text):
            name = match.group("name").rstrip(".")
            start, end = match.start(), match.start("name") + len(name)
            if any(start < e and s < end for s, e in taken):
                continue
            platform = alias_to_platform.get(match.group("platform").lower()) if pattern is prefixed else None
            try:
                value = normalise_handle(name, platform)
            except NormalisationError:
                continue
            taken.append((start, end))
            span = folded.original_span(start, end)
            found.append(FoundSelector("handle", value, span, original[span[0] : span[1]]))
    return found
