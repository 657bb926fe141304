"""Rewritten text that remembers where each character came from.

Extraction rewrites the tip (full-width digits to ASCII, "seven" to 7, keycaps to digits) before
matching, but every span it reports must point into the text the reporter wrote. A MappedText keeps,
for each character of the rewritten text, the [start, end) range of original characters it stands for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

# Invisible characters used to split a number or address so filters miss it; they are dropped.
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\ufe0e", "\ufe0f", "\u20e3"}
_KEYCAP_TEN = "\U0001f51f"


@dataclass
class MappedText:
    text: str = ""
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    def append(self, piece: str, start: int, end: int) -> None:
        self.text += piece
        self.starts.extend([start] * len(piece))
        self.ends.extend([end] * len(piece))

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covered by rewritten characters start..end-1."""
        return self.starts[start], max(self.ends[start:end])

    def rewrite(self, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str | None]) -> MappedText:
        """New MappedText with each match replaced by `replace(match)` (None keeps the match as it is)."""
        result = _Builder()
        position = 0
        for match in pattern.finditer(self.text):
            replacement = replace(match)
            if replacement is None:
                continue
            result.copy(self, position, match.start())
            if match.end() > match.start():
                result.add(replacement, *self.original_span(match.start(), match.end()))
            position = match.end()
        result.copy(self, position, len(self.text))
        return result.build()


class _Builder:
    """Accumulates pieces in lists (string concatenation per character would be quadratic)."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, piece: str, start: int, end: int) -> None:
        self.pieces.append(piece)
        self.starts.extend([start] * len(piece))
        self.ends.extend([end] * len(piece))

    def copy(self, source: MappedText, start: int, end: int) -> None:
        self.pieces.append(source.text[start:end])
        self.starts.extend(source.starts[start:end])
        self.ends.extend(source.ends[start:end])

    def extend_last(self, end: int) -> None:
        if self.ends:
            self.ends[-1] = max(self.ends[-1], end)

    def build(self) -> MappedText:
        return MappedText("".join(self.pieces), self.starts, self.ends)


def fold_characters(text: str) -> MappedText:
    """Compatibility-fold each character: full-width and circled digits, digits of any script and
    keycap emoji become ASCII digits; invisible separators are dropped (their span joins the
    preceding character, so a keycap's span covers its combining marks)."""
    builder = _Builder()
    for index, char in enumerate(text):
        if char in _INVISIBLE:
            builder.extend_last(index + 1)
            continue
        if char == _KEYCAP_TEN:
            builder.add("10", index, index + 1)
            continue
        if char.isascii():
            builder.add(char, index, index + 1)
            continue
        digit = unicodedata.decimal(char, None)
        if digit is not None:
            builder.add(str(digit), index, index + 1)
            continue
        builder.add(unicodedata.normalize("NFKC", char), index, index + 1)
    return builder.build()


def search_form(text: str) -> MappedText:
    """Lower-case, accent-free form for lexicon matching ('Pașaportul' -> 'pasaportul')."""
    builder = _Builder()
    for index, char in enumerate(text):
        if char.isascii():
            builder.add(char.lower(), index, index + 1)
            continue
        decomposed = unicodedata.normalize("NFKD", char.casefold())
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
        builder.add(plain or char, index, index + 1)
    return builder.build()


def fold_key(word: str) -> str:
    """The lookup key of a lexicon word: lower case without accents."""
    return search_form(word).text
