"""Deterministic multi-agency, multi-script person records with known ground truth.

Used by the resolution benchmarks and tests. Each invented person is recorded by one to five
agencies, each writing the name in its own script, romanisation, order and form (diminutives,
typos), the date of birth fully, partially, estimated or month-first, and phones, documents
and nationality in its own way. Households of relatives share a family name, an address and a
phone but are different people (twins share a date of birth too).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from anyascii import anyascii

from .names import DATA_DIR

SEED = 20240607


@cache
def _pools() -> dict:
    with open(DATA_DIR / "synthetic_people.json", encoding="utf-8") as handle:
        return json.load(handle)


@dataclass
class Person:
    person_id: int
    culture: str
    gender: str
    given: list[str]  # [native, spellings, diminutives]
    family_native: str
    family_latin: list[str]
    dob: date
    phone: str
    address: str
    email: str | None
    document: str | None


def _transliterate(text: str, system: dict[str, str]) -> str:
    out = []
    for char in text:
        lower = char.lower()
        mapped = system.get(lower)
        if mapped is None:
            mapped = anyascii(lower).lower()
        out.append(mapped.capitalize() if char.isupper() and mapped else mapped)
    return "".join(out)


def _latin_family(culture: str, native: str, listed: str | None, gender: str) -> list[str]:
    """Latin spellings an agency might use for a family name."""
    if listed:
        forms = listed.split("/")
        return forms[-1 if gender == "f" else 0].split("|")
    if culture == "ua":
        systems = _pools()["cyrillic_transliterations"]
        return [_transliterate(native, systems[name]) for name in ("ukrainian", "russian", "german", "french")]
    return [anyascii(native).capitalize()]


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


def _people(count: int, rng: random.Random) -> list[Person]:
    pools = _pools()["cultures"]
    cultures = list(pools)
    weights = [pools[c]["weight"] for c in cultures]
    people: list[Person] = []
    while len(people) < count:
        culture = rng.choices(cultures, weights)[0]
        pool = pools[culture]
        family = rng.choice(pool["family"])
        household_size = rng.choices([1, 2, 3, 4], [0.6, 0.2, 0.12, 0.08])[0]
        phone = f"+{pool['phone_country_code']}{rng.randrange(10**8, 10**9)}"
        address = f"{rng.randrange(1, 200)} {rng.choice(['Shevchenko', 'Liberty', 'Station', 'Harbour', 'Market', 'Garden'])} street, flat {rng.randrange(1, 90)}"
        base_year = rng.randrange(1960, 2006)
        twins = household_size > 1 and rng.random() < 0.15
        twin_dob = date(base_year, 1, 1) + timedelta(days=rng.randrange(365))
        used_given: set[str] = set()
        for member in range(household_size):
            gender = rng.choice("mf")
            choices = [g for g in pool[f"given_{gender}"] if g[0] not in used_given] or pool[f"given_{gender}"]
            given = rng.choice(choices)
            used_given.add(given[0])
            if twins and member < 2:
                dob = twin_dob
            else:
                year = base_year + (rng.randrange(-3, 30) if member else 0)
                dob = date(year, 1, 1) + timedelta(days=rng.randrange(365))
            family_native = family[1] if gender == "f" else family[0]
            people.append(
                Person(
                    person_id=len(people),
                    culture=culture,
                    gender=gender,
                    given=given,
                    family_native=family_native,
                    family_latin=_latin_family(culture, family_native, family[2] if len(family) > 2 else None, gender),
                    dob=min(dob, date(2008, 12, 31)),
                    phone=phone,
                    address=address,
                    email=f"{anyascii(given[1].split('|')[0]).lower()}.{rng.randrange(10**5)}@example.org" if rng.random() < 0.4 else None,
                    document=f"{rng.choice('ABCEKMPTX')}{rng.choice('ABCEKMPTX')}{rng.randrange(10**6, 10**7)}" if rng.random() < 0.5 else None,
                )
            )
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
            native_ua = {"ukrainian", "german", "french"}
            system = _pools()["cyrillic_transliterations"][rng.choice(sorted(native_ua))]
            given = _transliterate(native_given, system)
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


def _nationality(person: Person, rng: random.Random) -> str:
    country = _pools()["cultures"][person.culture]["country"]
    forms = {
        "UA": ["UA", "UKR", "Ukraine", "Україна", "Ukrainian", "Украина"],
        "GR": ["GR", "Greece", "Ελλάδα", "Greek"],
        "GE": ["GE", "Georgia", "საქართველო", "Грузия"],
        "AM": ["AM", "Armenia", "Հայաստան", "Armenian"],
        "SY": ["SY", "Syria", "سوريا", "Syrian"],
        "CN": ["CN", "China", "中国", "Chinese"],
        "TH": ["TH", "Thailand", "ประเทศไทย", "Thai"],
        "NG": ["NG", "Nigeria", "Nigerian", "NGA"],
    }[country]
    return "" if rng.random() < 0.15 else rng.choice(forms)


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
        "phone": _phone_text(person.phone, person, rng),
        "email": person.email if person.email and rng.random() < 0.6 else "",
        "document_number": _ocr_noise(person.document, rng) if person.document and rng.random() < 0.3 else (person.document or "") if rng.random() < 0.6 else "",
        "gender": rng.choice([person.gender, person.gender.upper(), "male" if person.gender == "m" else "female", "", ""]),
        "address": person.address if rng.random() < 0.5 else "",
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
