"""A generated multi-agency world at volume, for benchmarks: persons, cases, selectors with links, shares.

Everything is invented and deterministic (fixed seed). Rows are written straight to the tables (COPY on
PostgreSQL, executemany on SQLite): Django's bulk_create spends ~100 µs a row preparing values, which is
minutes for a million selectors. No audit entries are written (this is a fixture, not use). Identity fields
and selector values are still encrypted with palermo.core.crypto exactly as the model fields would, and
selector values carry real blind indexes, so searches and reveals work as in production.

The share mix follows the demo: a fifth of each agency's persons and cases go to a task force it belongs
to, one in twenty-five to one other agency, secret records to the owner's compartment; a selector is shared
with whoever its holder is shared with; a few shares are revoked or expired. One selector value in ten is
held by two or three agencies, which is what "who else has this phone?" is for.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from palermo.accounts import roles as R
from palermo.accounts.models import Agency, ApiToken, Compartment, TaskForce, User
from palermo.core.crypto import blind_index, encrypt
from palermo.core.models import Case, Person, Selector, SelectorLink, Share
from palermo.core.pseudonyms import ADJECTIVES, NOUNS

SEED = 100
BATCH = 5_000
# code, name, type, country, share of the records, task forces
AGENCIES = [
    ("ro-police", "Romanian Police (bench)", "LawEnforcement", "RO", 0.30, ("tf-east", "tf-south")),
    ("it-police", "Italian Police (bench)", "LawEnforcement", "IT", 0.25, ("tf-east", "tf-south")),
    ("ro-prosecutor", "Romanian Prosecutor (bench)", "Prosecutor", "RO", 0.05, ("tf-east",)),
    ("it-prosecutor", "Italian Prosecutor (bench)", "Prosecutor", "IT", 0.05, ("tf-east",)),
    ("es-police", "Spanish Police (bench)", "LawEnforcement", "ES", 0.10, ("tf-south",)),
    ("ro-ngo", "NGO Shelter (bench)", "NGO", "RO", 0.10, ()),
    ("it-labour", "Labour Inspectorate (bench)", "LabourInspectorate", "IT", 0.10, ()),
    ("ro-coordinator", "National Coordinator (bench)", "NationalCoordinator", "RO", 0.05, ()),
]
TASK_FORCES = {"tf-east": "Task force East (bench)", "tf-south": "Task force South (bench)"}
SENSITIVITY_MIX = [(R.NORMAL, 0.70), (R.RESTRICTED, 0.27), (R.SECRET, 0.03)]
GIVEN = ["Andreea", "Ioana", "Elena", "Maria", "Andrei", "Mihai", "Giulia", "Marco", "Lucía", "Javier", "Petya",
         "Stefan", "Ana", "Luca", "Sofia", "Pablo"]
FAMILY = ["Munteanu", "Rusu", "Lungu", "Esposito", "Russo", "García", "López", "Ivanova", "Toma", "Greco",
          "Moraru", "Ferrara", "Pérez", "Stoyanova"]


@dataclass
class Viewer:
    label: str
    user: User
    token: str


@dataclass
class World:
    viewers: list[Viewer]
    hits: list[tuple[str, str]]  # (kind, raw value as a user would type it) held by several agencies
    misses: list[tuple[str, str]]
    seconds: float
    vendor_version: str


def _phone(n: int) -> tuple[str, str]:
    """Canonical E.164 and the way someone would type it (Romanian mobile numbers, 072x xxx xxx)."""
    digits = f"72{n:07d}"
    return f"+40{digits}", f"+40 {digits[:3]} {digits[3:6]} {digits[6:]}"


def _email(n: int) -> tuple[str, str]:
    return f"contact{n}@mail{n % 97}.example", f"Contact{n}@Mail{n % 97}.example"


def _value(n: int) -> tuple[str, str, str]:
    """Selector number n → (kind, canonical value, typed value); two phones for every e-mail address."""
    kind = "email" if n % 3 == 2 else "phone"
    canonical, typed = (_email if kind == "email" else _phone)(n)
    return kind, canonical, typed


def _pick_sensitivity(rng: random.Random) -> str:
    roll = rng.random()
    for level, share in SENSITIVITY_MIX:
        if roll < share:
            return level
        roll -= share
    return R.NORMAL


def _pseudonyms(rng: random.Random, n: int) -> list[str]:
    space = len(ADJECTIVES) * len(NOUNS) * 900
    picks = rng.sample(range(space), n)
    out = []
    for k in picks:
        k, number = divmod(k, 900)
        adjective, noun = divmod(k, len(NOUNS))
        out.append(f"{ADJECTIVES[adjective]} {NOUNS[noun]} {100 + number}")
    return out


class _Writer:
    """Writes prepared rows straight into one table — COPY on PostgreSQL, executemany on SQLite — with
    ids assigned here (the table starts empty), so children can point at parents without a read-back."""

    def __init__(self, model, columns: list[str]):
        self.model, self.columns = model, ["id", *columns]
        self.rows: list[tuple] = []
        self.next_id = 1

    def add(self, *values) -> int:
        row_id = self.next_id
        self.next_id += 1
        self.rows.append((row_id, *values))
        if len(self.rows) >= BATCH:
            self.flush()
        return row_id

    def flush(self) -> None:
        if not self.rows:
            return
        table, columns = self.model._meta.db_table, ", ".join(self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", self.rows)
        self.rows = []


class _Shares:
    """Decides recipients with the demo's mix and writes the share rows."""

    def __init__(self, rng, agencies, task_forces, compartments, creators, stamp, yesterday):
        self.rng, self.agencies, self.task_forces = rng, agencies, task_forces
        self.compartments, self.creators, self.stamp, self.yesterday = compartments, creators, stamp, yesterday
        self.writer = _Writer(Share, ["content_type_id", "object_id", "to_agency_id", "to_task_force_id",
                                      "to_compartment_id", "purpose", "use_restrictions", "created_by_id",
                                      "created_at", "expires_at", "revoked_at", "revoked_by_id"])

    def recipients(self, owner_code: str, sensitivity: str) -> list[tuple]:
        """(agency id, task force id, compartment id) per share, exactly one set."""
        if sensitivity == R.SECRET:
            return [(None, None, self.compartments[owner_code].pk)] if self.rng.random() < 0.5 else []
        out = []
        forces = AGENCIES_BY_CODE[owner_code][5]
        if forces and self.rng.random() < 0.20:
            out.append((None, self.task_forces[self.rng.choice(forces)].pk, None))
        if self.rng.random() < 0.04:
            other = self.rng.choice([c for c in self.agencies if c != owner_code])
            out.append((self.agencies[other].pk, None, None))
        return out

    def add(self, content_type_id: int, object_id: int, owner_code: str, recipients: list[tuple]) -> None:
        creator = self.creators[owner_code].pk
        for recipient in recipients:
            roll = self.rng.random()
            revoked = roll < 0.01
            self.writer.add(content_type_id, object_id, *recipient, "joint investigation (generated)",
                            "Intelligence only; no onward sharing.", creator, self.stamp,
                            self.yesterday if 0.01 <= roll < 0.02 else None,
                            self.stamp if revoked else None, creator if revoked else None)


AGENCIES_BY_CODE = {a[0]: a for a in AGENCIES}


def _encrypted_json(value) -> str:
    return encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True))


def seed(persons: int, selectors: int, cases: int, progress: Callable[[str], None] = print) -> World:
    started = time.perf_counter()
    rng = random.Random(SEED)
    with transaction.atomic():
        task_forces = {code: TaskForce.objects.create(code=code, name=name) for code, name in TASK_FORCES.items()}
        agencies, creators, compartments = {}, {}, {}
        for code, name, kind, country, _, forces in AGENCIES:
            agency = Agency.objects.create(code=code, name=name, agency_type=kind, country=country)
            agency.task_forces.set([task_forces[f] for f in forces])
            agencies[code] = agency
            creators[code] = User.objects.create_user(f"{code}.investigator", password=None, agency=agency,
                                                      roles=[R.INVESTIGATOR], clearance=R.SECRET)
            compartments[code] = Compartment.objects.create(name=f"{code} team leaders", owner_agency=agency)
            compartments[code].members.add(creators[code])
        inspector = User.objects.create_user("it-labour.inspector", password=None, agency=agencies["it-labour"],
                                             roles=[R.INVESTIGATOR], clearance=R.RESTRICTED)
    viewers = [Viewer("ro-police investigator (secret clearance, 2 task forces, compartment)", creators["ro-police"],
                      ApiToken.issue(creators["ro-police"], "bench")[1]),
               Viewer("it-labour inspector (restricted clearance, no task force)", inspector,
                      ApiToken.issue(inspector, "bench")[1])]
    codes = [a[0] for a in AGENCIES]
    weights = [a[4] for a in AGENCIES]
    ops = connection.ops
    now = timezone.now()
    stamp = ops.adapt_datetimefield_value(now)
    shares = _Shares(rng, agencies, task_forces, compartments, creators, stamp,
                     ops.adapt_datetimefield_value(now - timedelta(days=1)))
    person_type, case_type, selector_type = (ContentType.objects.get_for_model(m).pk for m in (Person, Case, Selector))

    # Persons: identity fields encrypted here, once, as the model fields would.
    person_rows = _Writer(Person, ["owner_agency_id", "sensitivity", "created_by_id", "created_at", "updated_at",
                                   "pseudonym", "source_ref", "given_name", "family_name", "name_index",
                                   "date_of_birth", "documents", "contact", "gender", "citizenship",
                                   "primary_language", "notes"])
    persons_by_agency: dict[str, list[tuple[int, str, list[tuple]]]] = {c: [] for c in codes}
    names = _pseudonyms(rng, persons)
    with transaction.atomic():
        for i in range(persons):
            code = rng.choices(codes, weights)[0]
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            sensitivity = _pick_sensitivity(rng)
            born = {"kind": "exact", "value": f"{rng.randrange(1960, 2008)}-0{rng.randrange(1, 10)}-1{rng.randrange(10)}"}
            person_id = person_rows.add(
                agencies[code].pk, sensitivity, creators[code].pk, stamp, stamp, names[i], f"B{i:07d}",
                encrypt(given), encrypt(family), blind_index("name", f"{given} {family}".casefold()),
                _encrypted_json(born), "", "", rng.choice(["Feminine", "Masculine"]),
                json.dumps([AGENCIES_BY_CODE[code][3]]), "", "")
            recipients = shares.recipients(code, sensitivity)
            persons_by_agency[code].append((person_id, sensitivity, recipients))
            shares.add(person_type, person_id, code, recipients)
        person_rows.flush()
        shares.writer.flush()
    progress(f"{persons} persons")

    case_rows = _Writer(Case, ["owner_agency_id", "sensitivity", "created_by_id", "created_at", "updated_at",
                               "reference", "title", "summary", "status", "exploitation_types", "means_of_control",
                               "recruitment_methods", "opened_on", "lead_id"])
    with transaction.atomic():
        for i in range(cases):
            code = rng.choices(codes, weights)[0]
            sensitivity = _pick_sensitivity(rng)
            opened = ops.adapt_datefield_value(date(2020, 1, 1) + timedelta(days=rng.randrange(2500)))
            case_id = case_rows.add(agencies[code].pk, sensitivity, creators[code].pk, stamp, stamp,
                                    f"{code.upper()}-B{i:06d}", f"Generated case {i}", "", "Active",
                                    json.dumps([rng.choice(["SexualExploitation", "ForcedLabour"])]), "[]", "[]",
                                    opened, None)
            shares.add(case_type, case_id, code, shares.recipients(code, sensitivity))
        case_rows.flush()
        shares.writer.flush()
    progress(f"{cases} cases")

    # Selectors: one row per (agency, value); one value in ten is also held by one or two other agencies.
    # Each gets a link to a person of its agency and the same shares as that person.
    selector_rows = _Writer(Selector, ["owner_agency_id", "sensitivity", "created_by_id", "created_at",
                                       "updated_at", "kind", "value", "value_index"])
    link_rows = _Writer(SelectorLink, ["selector_id", "person_id", "organisation_id", "source", "observed_on",
                                       "recorded_by_id", "recorded_at"])
    observed = [ops.adapt_datefield_value(date(2025, 1, 1) + timedelta(days=d)) for d in range(600)]
    hits: list[tuple[str, str]] = []
    value_number = 0
    while selector_rows.next_id <= selectors:
        with transaction.atomic():
            for _ in range(BATCH):
                kind, canonical, typed = _value(value_number)
                value_number += 1
                holders = rng.sample(codes, 1 + (rng.random() < 0.10) * rng.randint(1, 2))
                if len(holders) > 1 and len(hits) < 2_000 and "ro-police" in holders:
                    hits.append((kind, typed))
                index = blind_index(kind, canonical)
                for code in holders[: selectors - selector_rows.next_id + 1]:
                    person_id, sensitivity, recipients = rng.choice(persons_by_agency[code])
                    selector_id = selector_rows.add(agencies[code].pk, sensitivity, creators[code].pk, stamp, stamp,
                                                    kind, encrypt(canonical), index)
                    link_rows.add(selector_id, person_id, None, "generated record", rng.choice(observed),
                                  creators[code].pk, stamp)
                    shares.add(selector_type, selector_id, code, recipients)
            selector_rows.flush()
            link_rows.flush()
            shares.writer.flush()
        if (selector_rows.next_id - 1) // 100_000 > (selector_rows.next_id - 1 - BATCH) // 100_000:
            progress(f"{selector_rows.next_id - 1} selectors")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in ops.sequence_reset_sql(no_style(), [Person, Case, Selector, SelectorLink, Share]):
                cursor.execute(statement)
    rng.shuffle(hits)
    misses = [_value(n)[0::2] for n in range(10_000_000 - 2_000, 10_000_000)]
    rng.shuffle(misses)
    return World(viewers=viewers, hits=hits, misses=misses, seconds=time.perf_counter() - started,
                 vendor_version=_vendor_version())


def _vendor_version() -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def row_counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (Person, Case, Selector, SelectorLink, Share)}
