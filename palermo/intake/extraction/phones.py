"""Phone numbers written to slip past filters, resolved to E.164.

The text is rewritten step by step (digit words to digits, O/l inside digit runs to 0/1), digit
groups separated by spaces, dots, dashes or brackets are collected into runs, and each run is cut
into the longest pieces libphonenumber accepts as valid for the tip's country. Validity, not
pattern shape, is what keeps dates, prices and ages out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

import phonenumbers

from palermo.core.normalisation import NormalisationError, normalise_phone
from palermo.intake.extraction.lexicons import load_json
from palermo.intake.extraction.mapped_text import MappedText, fold_key
from palermo.intake.extraction.result import FoundSelector

MIN_DIGITS = 7
MAX_DIGITS = 15

# Latin and Cyrillic words only: a CJK sentence glued to a spelled-out number ('请打one three')
# must not swallow the number's first word, and CJK numerals are handled on their own.
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\u0400-\u04ff]+")
_ALNUM_RUN = re.compile(r"[0-9A-Za-z\u00c0-\u024f\u0400-\u04ff]+")
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})
_LOOKALIKE_RUN = re.compile(r"[0-9OoIl]*[0-9][0-9OoIl]*")
_LOOKALIKE_LETTERS = re.compile(r"[OoIl]+")
_TOKEN = re.compile(r"(?:\+\s?)?\d+")
_GAP = re.compile(r"[ \t.\-\u2013\u2014()/\\_\u00b7*~\[\]]{1,4}|[ \t]*\n[ \t]*")


@cache
def _number_words() -> dict[str, str]:
    data = load_json("number_words.json")
    return {
        fold_key(word): str(digit) for words in data["languages"].values() for word, digit in words.items()
    }


@cache
def _cjk_numerals() -> tuple[re.Pattern[str], dict[str, str]]:
    data = load_json("number_words.json")
    numerals = {char: str(digit) for char, digit in data["cjk_numerals"].items()}
    chars = "".join(numerals)
    run = rf"[{chars}](?:[ \-]?[{chars}]){{{data['cjk_minimum_run'] - 1},}}"
    return re.compile(run), numerals


@cache
def _false_positive_contexts() -> re.Pattern[str]:
    """Dates, times, money, ages and measures: digits there are not a phone number."""
    data = load_json("false_positive_contexts.json")
    units = sorted(data["age_units"] + data["currency_words"] + data["measure_units"], key=len, reverse=True)
    unit = "|".join(re.escape(u) for u in units)
    symbols = re.escape(data["currency_symbols"])
    amount = r"\d+(?:[.,' ]\d{3})*(?:[.,]\d{1,2})?"
    return re.compile(
        "|".join(
            [
                r"(?<!\d[./\- ])(?<!\d)(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2})(?!\d)(?![./\-]\d)",
                r"(?<!\d)\d{1,2}[:h]\d{2}(?!\d)",
                rf"(?<!\d){amount}\s?(?:{unit})(?![a-zA-Z\u0400-\u04ff])",
                rf"[{symbols}]\s?{amount}",
            ]
        ),
        re.IGNORECASE,
    )


def digits_from_words(folded: MappedText) -> MappedText:
    """'zero seven', 'ноль семь', '零七' -> '0 7', '07' (spans still cover the words)."""
    words = _number_words()
    text = folded.rewrite(_WORD, lambda m: words.get(fold_key(m.group())))
    pattern, numerals = _cjk_numerals()
    return text.rewrite(pattern, lambda m: "".join(numerals.get(c, c) for c in m.group()))


def digits_from_lookalikes(text: MappedText) -> MappedText:
    """O for 0 and l/I for 1: first inside runs that already hold digits ('O72l' -> '0721'), then
    short all-letter groups standing between digit groups ('0712 OOI 645'). A wrong guess costs
    nothing: a run only becomes a phone if libphonenumber validates it."""

    def mixed(match: re.Match[str]) -> str | None:
        run = match.group()
        if len(run) > 1 and _LOOKALIKE_RUN.fullmatch(run):
            return run.translate(_DIGIT_LOOKALIKES)
        return None

    text = text.rewrite(_ALNUM_RUN, mixed)

    def letters_only(match: re.Match[str]) -> str | None:
        run = match.group()
        if len(run) <= 3 and _LOOKALIKE_LETTERS.fullmatch(run) and _beside_digits(text.text, *match.span()):
            return run.translate(_DIGIT_LOOKALIKES)
        return None

    return text.rewrite(_ALNUM_RUN, letters_only)


def _beside_digits(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    return bool(re.search(r"\d[ .\-]?$", before)) or bool(re.match(r"[ .\-]?\d", after))


def find_phones(
    folded: MappedText,
    original: str,
    region: str | None,
    occupied: Iterable[tuple[int, int]] = (),
) -> list[FoundSelector]:
    text = digits_from_lookalikes(digits_from_words(folded))
    masked = [m.span() for m in _false_positive_contexts().finditer(text.text)]
    taken = list(occupied)
    found: list[FoundSelector] = []
    for run in _digit_runs(text, masked, taken):
        for first, last, value in _segment(run, region):
            start, end = run[first].start(), run[last].end()
            if start and text.text[start - 1] == "(" and ")" in text.text[start:end]:
                start -= 1  # '(0721) 234 567': the bracket belongs to the number
            span = text.original_span(start, end)
            found.append(FoundSelector("phone", value, span, original[span[0] : span[1]]))
    return found


def _digit_runs(text: MappedText, masked: list[tuple[int, int]], taken: list[tuple[int, int]]):
    """Groups of digit tokens joined only by separators; a '+' always starts a new group."""
    run: list[re.Match[str]] = []
    for token in _TOKEN.finditer(text.text):
        if _overlaps(token.span(), masked) or _overlaps(text.original_span(*token.span()), taken):
            if run:
                yield run
            run = []
            continue
        joined = (
            run
            and not token.group().startswith("+")
            and _GAP.fullmatch(text.text[run[-1].end() : token.start()])
        )
        if run and not joined:
            yield run
            run = []
        run.append(token)
    if run:
        yield run


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def _segment(run: list[re.Match[str]], region: str | None) -> list[tuple[int, int, str]]:
    """Cut a run into valid numbers covering as many digits as possible (then as few numbers as
    possible), so a stray digit word before a number ('un 06 12 34 56 78') is left out rather than
    swallowing the number's last group."""
    digits = [re.sub(r"\D", "", token.group()) for token in run]
    count = len(run)
    # best[i]: (digits covered, -numbers used, numbers) for tokens i..end
    best: list[tuple[int, int, list[tuple[int, int, str]]]] = [(0, 0, [])] * (count + 1)
    for first in range(count - 1, -1, -1):
        choice = best[first + 1]
        covered = 0
        for last in range(first, count):
            covered += len(digits[last])
            if covered > MAX_DIGITS + 2:
                break
            if covered < MIN_DIGITS:
                continue
            plus = "+" if run[first].group().startswith("+") else ""
            value = valid_phone(plus + "".join(digits[first : last + 1]), region)
            if value:
                rest = best[last + 1]
                option = (covered + rest[0], rest[1] - 1, [(first, last, value), *rest[2]])
                if option[:2] > choice[:2]:
                    choice = option
        best[first] = choice
    return best[0][2]


def valid_phone(candidate: str, region: str | None) -> str | None:
    """E.164 if libphonenumber calls the number valid (not merely possible) for the region."""
    text = "+" + candidate[2:] if candidate.startswith("00") else candidate
    if not text.startswith("+") and not region:
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    try:
        return normalise_phone(text, region)
    except NormalisationError:
        return None
