"""`palermo import persons|selectors FILE`: all-or-nothing per file, errors with line numbers.

Every line is validated before anything is written; if any line is bad nothing is written and the
report lists each bad line and field. A good file is written in one transaction with one audit entry.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from palermo.accounts import roles as R
from palermo.accounts.models import User
from palermo.audit import services as audit
from palermo.core.models import Organisation, Person
from palermo.core.rules import ErrorCollector, FieldErrors
from palermo.core.services import (
    announce_selectors,
    attach_selector,
    check_governance,
    require_role,
    save_person,
    validate_person,
    validate_selector,
)

PERSON_COLUMNS = ("source_ref", "given_name", "family_name", "date_of_birth", "gender", "citizenship",
                  "primary_language", "sensitivity", "aliases", "notes")
SELECTOR_COLUMNS = ("kind", "value", "region", "qualifier", "person_ref", "organisation_ref", "source",
                    "observed_on", "sensitivity")


@dataclass
class ImportReport:
    path: str
    created: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRejected(Exception):
    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(f"{len(report.errors)} error(s) in {report.path}; nothing was imported")


def read_rows(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, row) from CSV (header on line 1) or JSONL; a line that does not parse is an error row."""
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield number, {"__error__": f"not valid JSON ({exc.msg})"}
                    continue
                yield number, row if isinstance(row, dict) else {"__error__": "each line must be a JSON object"}
    elif path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                if None in row:
                    yield reader.line_num, {"__error__": "more values than columns"}
                    continue
                yield reader.line_num, row
    else:
        raise FieldErrors({"file": ["use a .csv or .jsonl file"]})


def _aliases(raw) -> list[dict]:
    """CSV cells hold aliases as `name|source|kind; name|source`; JSONL may give a list of objects."""
    if isinstance(raw, list):
        return raw
    aliases = []
    for part in (raw or "").split(";"):
        if part.strip():
            name, _, rest = part.partition("|")
            source, _, kind = rest.partition("|")
            aliases.append({"name": name.strip(), "source": source.strip(), "kind": kind.strip() or "Alias"})
    return aliases


def _check_columns(rows: list[tuple[int, dict]], known: tuple[str, ...], report: ImportReport) -> None:
    unknown = sorted({k for _, row in rows for k in row if k not in known and k != "__error__"})
    if unknown:
        report.errors.append(f"line 1: unknown column(s) {', '.join(unknown)}; expected {', '.join(known)}")


def _format(number: int, exc: FieldErrors) -> list[str]:
    return [f"line {number}: {name}: {' '.join(messages)}" for name, messages in exc.errors.items()]


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def import_persons(actor: User, path: Path, progress: Callable[[int], None] | None = None) -> ImportReport:
    require_role(actor, R.CASEWORK_ROLES, "import persons")
    report = ImportReport(str(path))
    rows = list(read_rows(path))
    _check_columns(rows, PERSON_COLUMNS, report)
    cleaned, seen_refs = [], {}
    for number, row in rows:
        if "__error__" in row:
            report.errors.append(f"line {number}: {row['__error__']}")
            continue
        data = {**row, "aliases": _aliases(row.get("aliases"))}
        try:
            clean = validate_person(data, actor)
        except FieldErrors as exc:
            report.errors.extend(_format(number, exc))
            continue
        ref = clean["source_ref"]
        if ref and ref in seen_refs:
            report.errors.append(f"line {number}: source_ref: {ref!r} already used on line {seen_refs[ref]}")
        if ref:
            seen_refs.setdefault(ref, number)
        cleaned.append(clean)
    if not rows:
        report.errors.append("line 1: the file has no records")
    if report.errors:
        raise ImportRejected(report)
    with transaction.atomic():
        ids = []
        for clean in cleaned:
            ids.append(save_person(actor, clean).pk)
            if progress:
                progress(1)
        audit.record(actor, "import", object_type="core.person", details={
            "file": path.name, "sha256": _file_digest(path), "created": len(ids), "ids": ids})
    report.created = len(cleaned)
    return report


def import_selectors(actor: User, path: Path, progress: Callable[[int], None] | None = None) -> ImportReport:
    require_role(actor, R.CASEWORK_ROLES, "import selectors")
    report = ImportReport(str(path))
    rows = list(read_rows(path))
    _check_columns(rows, SELECTOR_COLUMNS, report)
    persons = {p.source_ref: p for p in Person.objects.filter(owner_agency_id=actor.agency_id).exclude(source_ref="")}
    organisations = {o.registration_number: o for o in Organisation.objects.filter(
        owner_agency_id=actor.agency_id).exclude(registration_number="")}
    planned = []
    for number, row in rows:
        if "__error__" in row:
            report.errors.append(f"line {number}: {row['__error__']}")
            continue
        errors = ErrorCollector()
        kind = (row.get("kind") or "").strip()
        value = None
        try:
            value = validate_selector(kind, row.get("value") or "", region=row.get("region") or None,
                                      qualifier=row.get("qualifier") or None)
        except FieldErrors as exc:
            for name, messages in exc.errors.items():
                for message in messages:
                    errors.add(name, message)
        person_ref, org_ref = (row.get("person_ref") or "").strip(), (row.get("organisation_ref") or "").strip()
        holder = None
        if bool(person_ref) == bool(org_ref):
            errors.add("person_ref", "give exactly one of person_ref or organisation_ref")
        elif person_ref:
            holder = persons.get(person_ref)
            if holder is None:
                errors.add("person_ref", f"your agency has no person with record number {person_ref!r}")
        else:
            holder = organisations.get(org_ref)
            if holder is None:
                errors.add("organisation_ref", f"your agency has no organisation registered as {org_ref!r}")
        source = (row.get("source") or "").strip()
        if not source:
            errors.add("source", "say which record or observation this comes from")
        observed_on = None
        if row.get("observed_on"):
            try:
                observed_on = date.fromisoformat(str(row["observed_on"]))
            except ValueError:
                errors.add("observed_on", "use YYYY-MM-DD")
        sensitivity = (row.get("sensitivity") or "normal").strip()
        check_governance(errors, actor, sensitivity, None)
        if errors.errors:
            report.errors.extend(_format(number, FieldErrors(errors.errors)))
            continue
        planned.append((kind, value, holder, source, observed_on, sensitivity))
    if not rows:
        report.errors.append("line 1: the file has no records")
    if report.errors:
        raise ImportRejected(report)
    with transaction.atomic():
        recorded = []
        for kind, value, holder, source, observed_on, sensitivity in planned:
            recorded.append(attach_selector(actor, kind, value, holder, source, observed_on, sensitivity)[0].value_index)
            if progress:
                progress(1)
        announce_selectors(sorted(set(recorded)))
        audit.record(actor, "import", object_type="core.selector", details={
            "file": path.name, "sha256": _file_digest(path), "created": len(planned)})
    report.created = len(planned)
    return report

