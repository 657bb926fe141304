"""Deterministic multi-agency, multi-script person records with known ground truth.

Used by the resolution benchmarks and tests. Each invented person is recorded by one to five
agencies, each writing the name in its own script, romanisation, order and form (diminutives,
typos), the date of birth fully, partially, estimated or month-first, and phones, documents
and nationality in its own way. Households of relatives share a family name (in its gendered
form), an address and a phone but are different people (twins share a date of birth too).
Records of one person also change over time: 30 % of people have a second, personal phone and
25 % another address, each used in about half of their records; 2 % of records give the wrong
gender and 4 % another country as nationality (a clerical slip, or the country of transit).

Names are drawn so that, as in real populations, a few are common and most are rare:

* family names are composed once per culture in the native script (cached) from roots and
  culture-typical affixes in `data/synthetic_name_parts.json`: Ukrainian -енко/-ук/-ський·-ська/
  -ов·-ова/-ін·-іна, Greek -όπουλος·-οπούλου/-άκης·-άκη/-ίδης·-ίδου/-άτος·-άτου (and Παπα-,
  Καρα-, Χατζη-), Georgian -შვილი/-ძე/-ია/-ავა/-ური/-ანი, Armenian -յան/-յանց/-ունց (and Տեր-),
  Arabic root, al- + root, Abu + root and al- + nisba, Yoruba and Igbo compounds (sometimes
  written with tone marks) — 400 to 2,000 per culture, drawn with Zipf–Mandelbrot weights
  1/(rank + offset), so the most common covers about 1 % of a culture. Chinese surnames are
  about 100 real common ones with approximate population shares (Li, Wang, Zhang ~8 % of the
  pool); Thai family names are composed afresh from two or three morphemes, so nearly unique.
  All combinations are invented; the parts are common roots, not a list of real people;
* given names come from `data/synthetic_people.json` (the lists line up with the normaliser's
  `given_names.csv`), drawn with Zipf-like weights by rank and distinct within a household;
  Chinese given names are one or two characters freely combined;
* Latin renderings come from the generator's own competing transliteration tables (Cyrillic:
  Ukrainian, Russian, German, French; Greek: ELOT 743, phonetic, English-style, scholarly;
  Georgian: national, Russian, German, French, scholarly; Armenian: English, French, German,
  Western), the Latin spellings listed with each Arabic root (article Al-/El-/Al /El /none),
  pinyin with Wade–Giles, Hong Kong and Taiwan spellings, RTGS with a common alternative per Thai
  morpheme, and Nigerian names with and without tone marks. An agency picks one per record. The
  normaliser under test (`names`) is deliberately not used.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache

from anyascii import anyascii

from .names import DATA_DIR

SEED = 20240607
GIVEN_ZIPF_OFFSET = 2
SCRIPT_SYSTEMS = {
    "ua": ("cyrillic", ("ukrainian", "russian", "german", "french")),
    "gr": ("greek", ("elot743", "phonetic", "english", "scholarly")),
    "ge": ("georgian", ("national", "russian", "german", "french", "scholarly")),
    "am": ("armenian", ("english", "french", "german", "western")),
}


@cache
def _pools() -> dict:
    with open(DATA_DIR / "synthetic_people.json", encoding="utf-8") as handle:
        return json.load(handle)


@cache
def _parts() -> dict:
    with open(DATA_DIR / "synthetic_name_parts.json", encoding="utf-8") as handle:
        return json.load(handle)


@dataclass(frozen=True, slots=True)
class FamilyName:
    male: str
    female: str
    latin_male: tuple[str, ...]
    latin_female: tuple[str, ...]


@dataclass(slots=True)
class Person:
    person_id: int
    household: int
    culture: str
    gender: str
    given: list[str]  # [native, spellings, diminutives]
    family_native: str
    family_latin: tuple[str, ...]
    dob: date
    phone: str  # the household's
    address: str  # the household's
    email: str | None
    document: str | None
    own_phone: str | None = None  # a second, personal number (a new SIM, a work phone)
    other_address: str | None = None  # where the person lived before or works


def _zipf_cumulative(count: int, offset: float, exponent: float = 1.0) -> list[float]:
    """Cumulative Zipf–Mandelbrot weights 1/(rank + offset)^exponent for ranks 1..count."""
    return list(itertools.accumulate(1 / (rank + offset) ** exponent for rank in range(1, count + 1)))


@cache
def _table(script: str, system: str) -> tuple[dict[str, str], int]:
    table = {k: v for k, v in _parts()["transliterations"][script][system].items() if not k.startswith("_")}
    return table, max(len(key.strip("^$")) for key in table)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


@lru_cache(maxsize=50_000)
def _transliterate(text: str, script: str, system: str) -> str:
    """`text` in one of the generator's own romanisation systems: longest key first, ^key only at
    the start of a word, key$ only at its end; unlisted letters keep their anyascii form."""
    table, longest = _table(script, system)
    source = text.lower()
    if script == "greek":
        source = _strip_accents(source)
    out: list[str] = []
    i, start = 0, True
    while i < len(source):
        mapped, size = None, 1
        for size in range(min(longest, len(source) - i), 0, -1):
            chunk = source[i : i + size]
            end = i + size == len(source) or not source[i + size].isalpha()
            if start:
                mapped = table.get("^" + chunk)
            if mapped is None and end:
                mapped = table.get(chunk + "$")
            if mapped is None:
                mapped = table.get(chunk)
            if mapped is not None:
                break
        if mapped is None:
            size = 1
            mapped = anyascii(source[i]).lower() if source[i].isalpha() else source[i]
        out.append(mapped)
        start = not source[i + size - 1].isalpha()
        i += size
    return re.sub(r"(^|[\s-])([a-z])", lambda m: m.group(1) + m.group(2).upper(), "".join(out))


def _romanised(culture: str, native: str) -> tuple[str, ...]:
    script, systems = SCRIPT_SYSTEMS[culture]
    return tuple(_transliterate(native, script, system) for system in systems)


def _ranked(entries: list[tuple[float, FamilyName]]) -> list[FamilyName]:
    """Entries by descending score (ties keep their listed order), duplicates dropped."""
    seen: set[str] = set()
    ranked = []
    for _, entry in sorted(entries, key=lambda item: -item[0]):
        if entry.male not in seen:
            seen.add(entry.male)
            ranked.append(entry)
    return ranked


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _composed_family(culture: str, spec: dict) -> list[FamilyName]:
    """Prefix + root + gendered suffix in the native script, romanised by every system."""
    prefixes = spec.get("prefixes", [["", 1]])
    entries = []
    for rank, root in enumerate(spec["roots"]):
        for prefix, prefix_weight in prefixes:
            if prefix and (root.startswith(prefix) or prefix.startswith(root)):
                continue  # no Παπα-Παπαδόπουλος
            if not prefix:
                stem = root
            elif prefix.endswith("-"):
                stem = prefix + root
            elif prefix[-1] == root[0].lower():  # Παπα + Ανδρέου: Παπανδρέου
                stem = prefix[:-1] + _lower_first(root)
            else:
                stem = prefix + _lower_first(root)
            for suffix_m, suffix_f, suffix_weight in spec["suffixes"]:
                male, female = stem + suffix_m, stem + suffix_f
                name = FamilyName(male, female, _romanised(culture, male), _romanised(culture, female))
                entries.append((prefix_weight * suffix_weight / (rank + 2), name))
    return _ranked(entries)


def _split_spellings(entry: str) -> tuple[str, list[str]]:
    native, latin = entry.split(":")
    return native, latin.split("|")


def _arabic_family(spec: dict) -> list[FamilyName]:
    forms = dict(spec["forms"])
    entries = []

    def add(weight: float, native: str, latin: list[str]) -> None:
        entries.append((weight, FamilyName(native, native, tuple(latin), tuple(latin))))

    for rank, entry in enumerate(spec["roots"]):
        native, spellings = _split_spellings(entry)
        add(forms["root"] / (rank + 2), native, spellings)
        if " " not in native:
            add(forms["al"] / (rank + 2), "ال" + native, [a + s for a in spec["articles"] for s in spellings])
            add(forms["abu"] / (rank + 2), "أبو " + native, [a + s for a in spec["abu"] for s in spellings])
    for rank, entry in enumerate(spec["nisbas"]):
        native, spellings = _split_spellings(entry)
        add(forms["nisba"] / (rank + 2), "ال" + native, [a + s for a in spec["articles"] for s in spellings])
    return _ranked(entries)


def _nigerian_family(spec: dict) -> list[FamilyName]:
    kinds = dict(spec["kinds"])
    entries = []

    def add(weight: float, plain: str, marked: str) -> None:
        latin = (plain, plain, plain, marked)
        entries.append((weight, FamilyName(plain, plain, latin, latin)))

    for kind in ("yoruba", "igbo"):
        for (i, first), (j, second) in itertools.product(
            enumerate(spec[f"{kind}_first"]), enumerate(spec[f"{kind}_second"])
        ):
            add(kinds[kind] / ((i + 2) * (j + 2)), first[0] + second[0], first[1] + second[1])
    for rank, (plain, marked) in enumerate(spec["single"]):
        add(kinds["single"] / (rank + 2), plain, marked)
    return _ranked(entries)


def _chinese_family(spec: dict) -> tuple[list[FamilyName], list[float]]:
    names, weights = [], []
    for native, pinyin, others, share in spec["surnames"]:
        alternatives = others.split("|")
        latin = (pinyin,) * len(alternatives) + tuple(alternatives)
        names.append(FamilyName(native, native, latin, latin))
        weights.append(share)
    return names, list(itertools.accumulate(weights))


@cache
def _family_pool(culture: str) -> tuple[list[FamilyName], list[float]]:
    """Family names of a culture and their cumulative drawing weights (Thai: composed per draw)."""
    spec = _parts()["family"][culture]
    if culture == "cn":
        return _chinese_family(spec)
    if culture == "ar":
        names = _arabic_family(spec)
    elif culture == "ng":
        names = _nigerian_family(spec)
    else:
        names = _composed_family(culture, spec)
    return names, _zipf_cumulative(len(names), spec["zipf_offset"])


@cache
def _thai_morphemes() -> tuple[list[list[str]], list[float]]:
    spec = _parts()["family"]["th"]
    return spec["morphemes"], _zipf_cumulative(len(spec["morphemes"]), spec["zipf_offset"])


def _thai_family(rng: random.Random) -> FamilyName:
    morphemes, weights = _thai_morphemes()
    chosen: list[list[str]] = []
    for _ in range(2 if rng.random() < 0.6 else 3):
        morpheme = rng.choices(morphemes, cum_weights=weights)[0]
        if not chosen or morpheme is not chosen[-1]:
            chosen.append(morpheme)
    native = "".join(m[0] for m in chosen)
    latin = tuple(chosen[0][k] + "".join(m[k].lower() for m in chosen[1:]) for k in (1, 2))
    return FamilyName(native, native, latin, latin)


def _draw_family(culture: str, rng: random.Random) -> FamilyName:
    if culture == "th":
        return _thai_family(rng)
    names, weights = _family_pool(culture)
    return rng.choices(names, cum_weights=weights)[0]


@cache
def _given_pool(culture: str, gender: str) -> tuple[list[list[str]], list[float]]:
    names = _pools()["cultures"][culture][f"given_{gender}"]
    return names, _zipf_cumulative(len(names), GIVEN_ZIPF_OFFSET)


@cache
def _chinese_characters(gender: str) -> tuple[list[list[str]], list[float]]:
    spec = _parts()["family"]["cn"]
    characters = spec[f"given_{gender}"] + spec["given_any"]
    return characters, _zipf_cumulative(len(characters), 3)


def _chinese_given(gender: str, rng: random.Random) -> list[str]:
    """One character, or two freely combined, with pinyin written joined (Jianguo) or hyphenated
    (Jian-Guo, Jian-guo), or a Wade–Giles or Cantonese-style spelling (Chien-kuo)."""
    characters, weights = _chinese_characters(gender)
    first = rng.choices(characters, cum_weights=weights)[0]
    if rng.random() < 0.3:
        return [first[0], f"{first[1]}|{first[1]}|{first[2]}", ""]
    second = first
    while second is first:
        second = rng.choices(characters, cum_weights=weights)[0]
    pinyin, other = (first[1], second[1]), (first[2], second[2])
    spellings = [
        pinyin[0] + pinyin[1].lower(),
        pinyin[0] + pinyin[1].lower(),
        f"{pinyin[0]}-{pinyin[1]}",
        f"{pinyin[0]}-{pinyin[1].lower()}",
        f"{other[0]}-{other[1].lower()}",
    ]
    return [first[0] + second[0], "|".join(spellings), ""]


def _draw_given(culture: str, gender: str, rng: random.Random, used: set[str]) -> list[str]:
    """A given name not yet used in the household (a few weighted redraws, then any unused one)."""
    for _ in range(6):
        if culture == "cn":
            given = _chinese_given(gender, rng)
        else:
            names, weights = _given_pool(culture, gender)
            given = rng.choices(names, cum_weights=weights)[0]
        if given[0] not in used:
            break
    else:
        if culture != "cn":
            names = _given_pool(culture, gender)[0]
            given = rng.choice([g for g in names if g[0] not in used] or names)
    used.add(given[0])
    return given


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + text[i + 1 :]
    if kind < 0.7:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + text[i] + text[i:]


def _address(rng: random.Random) -> str:
    street = rng.choice(["Shevchenko", "Liberty", "Station", "Harbour", "Market", "Garden"])
    return f"{rng.randrange(1, 200)} {street} street, flat {rng.randrange(1, 90)}"


def _people(count: int, rng: random.Random) -> list[Person]:
    pools = _pools()["cultures"]
    cultures = list(pools)
    weights = [pools[c]["weight"] for c in cultures]
    people: list[Person] = []
    household_number = 0
    while len(people) < count:
        culture = rng.choices(cultures, weights)[0]
        pool = pools[culture]
        family = _draw_family(culture, rng)
        household_size = rng.choices([1, 2, 3, 4], [0.6, 0.2, 0.12, 0.08])[0]
        phone = f"+{pool['phone_country_code']}{rng.randrange(10**8, 10**9)}"
        address = _address(rng)
        base_year = rng.randrange(1960, 2006)
        twins = household_size > 1 and rng.random() < 0.15
        twin_dob = date(base_year, 1, 1) + timedelta(days=rng.randrange(365))
        used_given: set[str] = set()
        for member in range(household_size):
            gender = rng.choice("mf")
            given = _draw_given(culture, gender, rng, used_given)
            if twins and member < 2:
                dob = twin_dob
            else:
                year = min(base_year + (rng.randrange(-3, 30) if member else 0), 2008)
                dob = date(year, 1, 1) + timedelta(days=rng.randrange(365))
            people.append(
                Person(
                    person_id=len(people),
                    household=household_number,
                    culture=culture,
                    gender=gender,
                    given=given,
                    family_native=family.female if gender == "f" else family.male,
                    family_latin=family.latin_female if gender == "f" else family.latin_male,
                    dob=dob,
                    phone=phone,
                    address=address,
                    email=f"{anyascii(given[1].split('|')[0]).lower()}.{rng.randrange(10**5)}@example.org"
                    if rng.random() < 0.4
                    else None,
                    document=f"{rng.choice('ABCEKMPTX')}{rng.choice('ABCEKMPTX')}{rng.randrange(10**6, 10**7)}"
                    if rng.random() < 0.5
                    else None,
                    own_phone=f"+{pool['phone_country_code']}{rng.randrange(10**8, 10**9)}"
                    if rng.random() < 0.3
                    else None,
                    other_address=_address(rng) if rng.random() < 0.25 else None,
                )
            )
        household_number += 1
    return people[:count]


_OCR = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "O": "0", "I": "1", "S": "5", "B": "8", "Z": "2"}


def _ocr_noise(document: str, rng: random.Random) -> str:
    positions = [i for i, char in enumerate(document) if char in _OCR]
    if not positions:
        return document
    i = rng.choice(positions)
    return document[:i] + _OCR[document[i]] + document[i + 1 :]


def _name_forms(person: Person, rng: random.Random) -> tuple[str, str]:
    """Given and family name as one agency writes them."""
    native_given, spellings, diminutives = person.given
    roll = rng.random()
    if roll < 0.3:
        given, family = native_given, person.family_native
    else:
        given_options = spellings.split("|")
        if diminutives and rng.random() < 0.25:
            given_options = diminutives.split("|")
        given = rng.choice(given_options)
        family = rng.choice(person.family_latin)
        if person.culture == "ua" and rng.random() < 0.5:
            given = _transliterate(native_given, "cyrillic", rng.choice(("french", "german", "ukrainian")))
    if rng.random() < 0.12:
        given = _typo(given, rng)
    if rng.random() < 0.12:
        family = _typo(family, rng)
    return given, family


def _dob_text(dob: date, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        return dob.isoformat()
    if roll < 0.6:
        return dob.strftime("%d/%m/%Y")
    if roll < 0.68:
        return str(dob.year)
    if roll < 0.74:
        return f"~{dob.year + rng.choice([-2, -1, 1, 2])}"
    if roll < 0.8 and dob.day <= 12 and dob.day != dob.month:
        return date(dob.year, dob.day, dob.month).strftime("%d/%m/%Y")
    if roll < 0.86:
        text = dob.isoformat()
        i = rng.choice([3, 6, 9])
        digit = str((int(text[i]) + rng.choice([1, 9])) % 10)
        candidate = text[:i] + digit + text[i + 1 :]
        try:
            date.fromisoformat(candidate)
            return candidate
        except ValueError:
            return text
    if roll < 0.93:
        return ""
    return dob.strftime("%d.%m.%Y")


_NATIONALITY_FORMS = {
    "UA": ["UA", "UKR", "Ukraine", "Україна", "Ukrainian", "Украина"],
    "GR": ["GR", "Greece", "Ελλάδα", "Greek"],
    "GE": ["GE", "Georgia", "საქართველო", "Грузия"],
    "AM": ["AM", "Armenia", "Հայաստան", "Armenian"],
    "SY": ["SY", "Syria", "سوريا", "Syrian"],
    "CN": ["CN", "China", "中国", "Chinese"],
    "TH": ["TH", "Thailand", "ประเทศไทย", "Thai"],
    "NG": ["NG", "Nigeria", "Nigerian", "NGA"],
}


def _nationality(person: Person, rng: random.Random) -> str:
    country = _pools()["cultures"][person.culture]["country"]
    roll = rng.random()
    if roll < 0.15:
        return ""
    if roll < 0.19:  # recorded wrongly, or as the country the person came through
        return rng.choice([code for code in _NATIONALITY_FORMS if code != country])
    return rng.choice(_NATIONALITY_FORMS[country])


def _phone_text(phone: str, person: Person, rng: random.Random) -> str:
    code = _pools()["cultures"][person.culture]["phone_country_code"]
    national = phone[len(code) + 1 :]
    roll = rng.random()
    if roll < 0.45:
        return phone
    if roll < 0.6:
        return f"00{code} {national[:3]} {national[3:]}"
    if roll < 0.75:
        return f"0{national}"
    return ""


def _gender_text(gender: str, rng: random.Random) -> str:
    return rng.choice([gender, gender.upper(), "male" if gender == "m" else "female", "", ""])


def _record(person: Person, record_number: int, rng: random.Random) -> dict[str, str]:
    given, family = _name_forms(person, rng)
    record = {
        "record_id": f"R{record_number:07d}",
        "source": rng.choice(_pools()["sources"]),
        "full_name": "",
        "given_name": "",
        "family_name": "",
        "date_of_birth": _dob_text(person.dob, rng),
        "nationality": _nationality(person, rng),
        "phone": _phone_text(
            person.own_phone if person.own_phone and rng.random() < 0.5 else person.phone, person, rng
        ),
        "email": person.email if person.email and rng.random() < 0.6 else "",
        "document_number": _ocr_noise(person.document, rng)
        if person.document and rng.random() < 0.3
        else (person.document or "")
        if rng.random() < 0.6
        else "",
        "gender": _gender_text(
            person.gender if rng.random() >= 0.02 else "f" if person.gender == "m" else "m", rng
        ),
        "address": (person.other_address if person.other_address and rng.random() < 0.5 else person.address)
        if rng.random() < 0.5
        else "",
    }
    layout = rng.random()
    if layout < 0.4:
        record["given_name"], record["family_name"] = given, family
    elif layout < 0.65:
        record["full_name"] = f"{given} {family}"
    elif layout < 0.85:
        record["full_name"] = f"{family.upper() if family.isascii() else family} {given}"
    else:
        record["full_name"] = f"{family}, {given}"
    if person.culture == "cn" and layout >= 0.4 and not given.isascii():
        record["full_name"] = f"{family}{given}"
    return record


def generate(record_count: int, seed: int = SEED) -> tuple[list[dict[str, str]], dict[str, int]]:
    """`record_count` records and their ground truth (record_id → person id)."""
    rng = random.Random(seed)
    people = _people(max(1, record_count // 2), rng)
    records: list[dict[str, str]] = []
    truth: dict[str, int] = {}
    while len(records) < record_count:
        for person in people:
            copies = rng.choices([1, 2, 3, 4, 5], [0.35, 0.3, 0.2, 0.1, 0.05])[0]
            for _ in range(copies):
                if len(records) >= record_count:
                    break
                record = _record(person, len(records), rng)
                records.append(record)
                truth[record["record_id"]] = person.person_id
            if len(records) >= record_count:
                break
    order = list(range(len(records)))
    rng.shuffle(order)
    return [records[i] for i in order], truth
