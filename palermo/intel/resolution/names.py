"""Personal names in any script folded to comparison keys.

The same person appears as Олена Іваненко, Olena Ivanenko, Elena Ivanenko and IVANENKO Olena in
different agencies' files. Three keys per name part let the linker recognise that:

* `spelling_key`: the romanised name with competing romanisations folded (Yelena/Elena,
  Jurij/Yuriy, Petrosian/Petrosyan, Beridse/Beridze);
* canonical given names from a data file of romanisations, translations and diminutives
  (Olena→elena, Sasha→aleksandr or aleksandra, Bill→william);
* `skeleton`: a coarse consonant key, where unvocalised Arabic and Thai script meet their
  romanisations (محمد / Mohammed / Muhammad → mhmt).

The rules live in `palermo/intel/data/name_rules.json` and `given_names.csv`.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from anyascii import anyascii

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@cache
def _rules() -> dict:
    with open(DATA_DIR / "name_rules.json", encoding="utf-8") as handle:
        return json.load(handle)


@cache
def _folds(section: str) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(pattern), replacement) for pattern, replacement in _rules()[section]["rules"]]


def _apply(folds: list[tuple[re.Pattern[str], str]], word: str) -> str:
    for pattern, replacement in folds:
        word = pattern.sub(replacement, word)
    return word


def _script_of(text: str) -> str:
    """Dominant non-Latin script of the text ('latin' if none), from Unicode character names."""
    for char in text:
        if char.isalpha() and ord(char) > 0x24F:
            name = unicodedata.name(char, "")
            for script in ("CJK", "THAI", "ARABIC", "GREEK", "CYRILLIC", "GEORGIAN", "ARMENIAN", "HANGUL"):
                if name.startswith(script):
                    return script.lower()
    return "latin"


def _prepare_script(text: str) -> str:
    """Script-specific fixes before anyascii: Greek digraphs, Thai vowel order, Arabic article."""
    rules = _rules()
    for source, target in rules["pre_transliteration"]["map"].items():
        text = text.replace(source, target)
    script = _script_of(text)
    if script == "greek":
        for source, target in rules["greek_digraphs"]["map"].items():
            if not source.startswith("_"):
                text = text.replace(source, target)
    elif script == "thai":
        preposed = "".join(rules["thai_preposed_vowels"]["letters"])
        text = _apply(_folds("thai_silent_letters"), re.sub(f"([{preposed}])(.)", r"\2\1", text))
    elif script == "armenian":
        for source, target in rules["armenian_word_initial"]["map"].items():
            if not source.startswith("_"):
                text = re.sub(source, target, text)
    elif script == "arabic":
        text = re.sub(r"(^|\s)ال(?!له)", r"\1", text)  # the article, but not in Allah
        text = re.sub(r"(^|\s)[عأإآا]", r"\1a", text)  # a word-initial vowel carrier is a vowel
    elif script == "cjk":
        text = _split_chinese(text)
    return text


def _split_chinese(text: str) -> str:
    """Han characters are written without spaces: put the surname (one character, or a known
    two-character compound, read as a surname: 曾 is Zeng) apart from the given name, which stays
    one word."""
    compounds = _rules()["chinese_compound_surnames"]
    readings = _rules()["chinese_surname_readings"]["map"]

    def split(match: re.Match[str]) -> str:
        word = match.group(0)
        cut = 2 if any(word.startswith(c) for c in compounds) else 1
        surname = readings.get(word[:cut], word[:cut])
        return f"{surname} {word[cut:]}" if len(word) > cut else surname

    return re.sub(r"[\u4e00-\u9fff]+", split, text)


@lru_cache(maxsize=200_000)
def romanise(text: str) -> str:
    """Lower-case ASCII words of a name in any script, punctuation removed."""
    text = re.sub(r"(?i)\b(al|el)-", r"\1 ", text)  # Al-Hassan: the article is a word of its own
    text = re.sub(r"(?<=\w)-(?=\w)", "", text)  # Jian-Guo, Jean-Pierre: one name
    ascii_text = anyascii(_prepare_script(unicodedata.normalize("NFC", text)))
    ascii_text = re.sub(r"['`]", "", ascii_text)  # soft signs and aspiration marks: Ol'ga, Harut'yun
    return " ".join(re.sub(r"[^a-z]+", " ", ascii_text.lower()).split())


@lru_cache(maxsize=200_000)
def spelling_key(word: str) -> str:
    """One romanised word with competing romanisations folded (Yelena → elena, Jurij → iuri)."""
    return _apply(_folds("spelling_folds"), _apply(_folds("cluster_folds"), word))


@lru_cache(maxsize=200_000)
def skeleton(word: str) -> str:
    """Coarse consonant key of one romanised word (Mohammed, Muhammad and محمد → mhmt)."""
    rules = _rules()["skeleton"]
    text = _apply(_folds("cluster_folds"), word)
    for source, target in sorted(rules["consonant_map"].items(), key=lambda item: -len(item[0])):
        text = text.replace(source, target)
    if not text:
        return ""
    head = "a" if text[0] in "aeiouy" else "b" if text[0] == "w" else text[0]
    tail = re.sub(f"[{rules['drop_after_first']}]", "", text[1:])
    tail = re.sub(r"h$", "", tail)
    return re.sub(r"(.)\1+", r"\1", head + tail)


@cache
def _chinese_surname_spellings() -> dict[str, str]:
    """Wong → wang, Ng → wu: Cantonese and Wade–Giles surnames no spelling rule relates to pinyin."""
    return _rules()["chinese_surname_spellings"]["map"]


@cache
def _culture_folds() -> list[tuple[re.Pattern[str], list[tuple[re.Pattern[str], str]]]]:
    return [
        (re.compile(group["when"]), [(re.compile(p), r) for p, r in group["rules"]])
        for group in _rules()["family_culture_folds"]["groups"]
    ]


@lru_cache(maxsize=200_000)
def _fold_family_suffix(word: str) -> str:
    """Cantonese and Wade–Giles surnames to pinyin, culture-conditioned folds (ch is χ in a Greek
    name, ხ in a German-Georgian one), then the Georgian/Armenian endings. The culture is read
    from the word before those folds."""
    word = _chinese_surname_spellings().get(word, word)
    folded = word
    for when, folds in _culture_folds():
        if when.search(word):
            folded = _apply(folds, folded)
    return _apply(_folds("family_suffixes"), folded)


def fold_family_name(word: str) -> str:
    """Spelling key of a family name, with Georgian/Armenian endings folded (-schwili → -shvili)."""
    return spelling_key(_fold_family_suffix(word))


@dataclass(frozen=True)
class GivenName:
    canonical: str
    gender: str


@cache
def _given_name_index() -> dict[str, tuple[GivenName, ...]]:
    """Spelling key of every variant → the canonical names it may stand for (Sasha → two)."""
    index: dict[str, list[GivenName]] = {}
    with open(DATA_DIR / "given_names.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            entry = GivenName(row["canonical"], row["gender"])
            variants = [row["canonical"], *filter(None, row["variants"].split("|"))]
            for variant in variants:
                for word in [" ".join(romanise(variant).split())]:
                    key = spelling_key(word.replace(" ", ""))
                    if entry not in index.setdefault(key, []):
                        index[key].append(entry)
    return {key: tuple(entries) for key, entries in index.items()}


def canonical_given_names(word: str, gender: str | None = None) -> tuple[str, ...]:
    """Canonical forms a romanised given name may stand for, narrowed by gender when it is known.
    Unknown names are their own canonical form (their spelling key)."""
    key = spelling_key(word)
    entries = _given_name_index().get(key, ())
    if gender in ("m", "f"):
        narrowed = tuple(e for e in entries if e.gender == gender)
        entries = narrowed or entries
    return tuple(e.canonical for e in entries) or (key,)


def is_known_given_name(word: str) -> bool:
    return spelling_key(word) in _given_name_index()


@cache
def _chinese_surnames() -> frozenset[str]:
    return frozenset(_rules()["chinese_surnames_pinyin"])


def _is_patronymic(word: str) -> bool:
    return len(word) > 5 and any(word.endswith(ending) for ending in _rules()["patronymic_endings"])


def _join_arabic_compounds(words: list[str]) -> list[str]:
    """'abd al rahman' / 'abdul rahman' / عبد الرحمن → 'abdrahman': a compound name is one name."""
    prefixes = _rules()["arabic_compound_prefixes"]
    joined: list[str] = []
    open_prefix = False
    for word in words:
        if open_prefix and word in ("al", "el", "ul", "l"):
            continue
        if open_prefix:
            joined[-1] += word
            open_prefix = False
        elif word in prefixes:
            joined.append(prefixes[word])
            open_prefix = True
        else:
            joined.append(word)
    return joined


def _drop_patronymic(words: list[str]) -> list[str]:
    """Petrov Aleksandr Ivanovich → petrov aleksandr. Only a third word can be a patronymic: in a
    two-word name the last word is a family name (Kovalich, Derwich). A middle word goes first."""
    if len(words) < 3:
        return words
    for index in [*range(1, len(words) - 1), len(words) - 1, 0]:
        if _is_patronymic(words[index]):
            return words[:index] + words[index + 1 :]
    return words


def _words(raw: str, patronymics: bool = False) -> list[str]:
    """Name words without particles (al, van); with `patronymics`, a patronymic is dropped too."""
    particles = set(_rules()["name_particles"])
    words = [w for w in _join_arabic_compounds(romanise(raw).split()) if w not in particles]
    return _drop_patronymic(words) if patronymics else words


@dataclass(frozen=True)
class PersonName:
    """The comparable parts of one recorded name. Empty strings mean unknown."""

    given: str = ""
    family: str = ""
    given_canonical: str = ""
    given_alternatives: tuple[str, ...] = field(default_factory=tuple)
    family_key: str = ""
    given_skeleton: str = ""
    family_skeleton: str = ""


def _order_words(words: list[str], raw: str) -> tuple[str, str]:
    """Pick the given and the family name out of a full name written in any order.

    Evidence, strongest first: a comma (FAMILY, Given); a word written in capitals among mixed
    case (IVANENKO Olena); a known given name; a Chinese surname first; else given name first."""
    if len(words) == 1:
        return ("", words[0])
    if "," in raw:
        family_part, given_part = raw.split(",", 1)
        family_words, given_words = _words(family_part), _words(given_part)
        if family_words and given_words:
            return (given_words[0], family_words[-1])
    original_tokens = raw.split()
    if len(original_tokens) == len(words):
        capitals = [i for i, t in enumerate(original_tokens) if t.isupper() and len(t) > 1]
        if len(capitals) == 1 and not all(t.isupper() for t in original_tokens):
            family_index = capitals[0]
            given_index = 0 if family_index != 0 else 1
            return (words[given_index], words[family_index])
    first, last = words[0], words[-1]
    first_known, last_known = is_known_given_name(first), is_known_given_name(last)
    if last_known and not first_known:
        return (last, first)
    if first_known and not last_known:
        return (first, last)
    if _script_of(raw) == "cjk" or (first in _chinese_surnames() and last not in _chinese_surnames()):
        return (last, first)
    return (first, last)


@lru_cache(maxsize=500_000)
def parse_person_name(
    full_name: str = "", given_name: str = "", family_name: str = "", gender: str | None = None
) -> PersonName:
    """Comparable parts of a person's name from whichever of the three fields are filled in."""
    given_words = _words(given_name) if given_name.strip() else []
    family_words = _words(family_name) if family_name.strip() else []
    if given_words or family_words:
        given = given_words[0] if given_words else ""
        family = family_words[-1] if family_words else ""
        if not given and len(family_words) > 1:
            given, family = _order_words(family_words, family_name)
    elif full_name.strip():
        words = _words(full_name, patronymics=True)
        if not words:
            return PersonName()
        given, family = _order_words(words, full_name)
    else:
        return PersonName()
    alternatives = canonical_given_names(given, gender) if given else ()
    return PersonName(
        given=given,
        family=family,
        given_canonical=alternatives[0] if alternatives else "",
        given_alternatives=tuple(sorted(set(alternatives))),
        family_key=fold_family_name(family) if family else "",
        given_skeleton=skeleton(given) if given else "",
        family_skeleton=skeleton(_fold_family_suffix(family)) if family else "",
    )
