"""`palermo import persons|selectors FILE`: all-or-nothing per file, errors with line numbers.

Every line is validated before anything is written; if any line is bad nothing is written and the
report lists each bad line and field. A good file is written in one transaction with one audit entry.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from palermo.accounts import roles as R
from palermo.accounts.models import User
from palermo.audit import services as audit
from palermo.core.models import Organisation, Person
from palermo.core.rules import ErrorCollector, FieldErrors, text_problem
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
# Columns a file must have (values may be blank on a line): who the record is about.
PERSON_REQUIRED = (("given_name",), ("family_name",))
SELECTOR_REQUIRED = (("kind",), ("value",), ("source",), ("person_ref", "organisation_ref"))


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


def decode(data: bytes, encoding: str | None = None) -> str:
    """The file's text. Without `encoding`: UTF-8 (with or without a byte-order mark) or UTF-16 with a
    byte-order mark. Nothing is guessed: a Latin-1 or Windows-1252 file read as UTF-8 would store
    mis-spelt names, so undecodable bytes are an error naming each line; `--encoding` reads other files."""
    if encoding is None:
        is_utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        encoding = "utf-16" if is_utf16 else "utf-8-sig"
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise FieldErrors({"encoding": [f"unknown encoding {encoding!r}"]}) from None
    try:
        # Undecodable UTF-8 bytes become lone surrogates U+DC80–U+DCFF, reported line by line below.
        text = data.decode(encoding, errors="surrogateescape" if encoding == "utf-8-sig" else "strict")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].decode(encoding, errors="replace").count("\n") + 1
        raise ImportRejected(ImportReport("", errors=[
            f"line {line}: not {encoding} text ({exc.reason}); nothing after it was read"])) from None
    bad = []
    for number, line in enumerate(text.split("\n"), start=1):
        if found := _ESCAPED_BYTE.search(line):
            bad.append(f"line {number}: not UTF-8 text (byte 0x{ord(found[0]) - 0xDC00:02X}); save the file as "
                       f"UTF-8 or name its encoding with --encoding")
        elif "\x00" in line:
            bad.append(f"line {number}: contains NUL characters (UTF-16 without a byte-order mark?); save the "
                       f"file as UTF-8")
    if bad:
        raise ImportRejected(ImportReport("", errors=bad))
    return text


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def read_rows(path: Path, encoding: str | None = None) -> tuple[list[str], list[tuple[int, dict]]]:
    """The file's columns and its (line number, row) pairs, from CSV (header on line 1) or JSONL.
    A line that does not parse becomes an error row; in JSONL, a value of the wrong type or text that
    cannot be stored (a NUL or unpaired surrogate escape) is a field error."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl", ".ndjson"):
        raise FieldErrors({"file": ["use a .csv or .jsonl file"]})
    try:
        text = decode(path.read_bytes(), encoding)
    except ImportRejected as exc:
        exc.report.path = str(path)
        raise
    if suffix == ".csv":
        return _csv_rows(text)
    return _jsonl_rows(text)


def _csv_rows(text: str) -> tuple[list[str], list[tuple[int, dict]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, dict]] = []
    try:
        header = [name.strip() for name in next(reader, [])]
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            if len(values) > len(header):
                rows.append((reader.line_num, {"__error__": "more values than columns"}))
                continue
            row = dict(zip(header, values, strict=False))
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        rows.append((reader.line_num, {"__error__": f"not valid CSV ({exc}); nothing after it was read"}))
    return header, rows


def _jsonl_rows(text: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """The keys used anywhere in the file stand for its columns."""
    columns: set[str] = set()
    rows: list[tuple[int, dict]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append((number, {"__error__": f"not valid JSON ({exc.msg})"}))
            continue
        except RecursionError:
            rows.append((number, {"__error__": "not valid JSON (nested too deeply)"}))
            continue
        if not isinstance(row, dict):
            rows.append((number, {"__error__": "each line must be a JSON object"}))
            continue
        columns.update(row)
        rows.append((number, _type_errors(row) or _text_errors(row) or row))
    return sorted(columns), rows


# JSONL may give these as lists; every other field is text (a JSON string) or null.
_LIST_FIELDS = {"aliases": dict, "citizenship": str}
_JSON_TYPES = {list: "a list", dict: "an object", bool: "true/false", int: "a number", float: "a number",
               str: "text", type(None): "null"}


def _type_errors(row: dict) -> dict | None:
    """{"__fields__": {field: [message]}} for values of the wrong JSON type, else None."""
    errors = ErrorCollector()
    for name, value in row.items():
        if value is None or isinstance(value, str):
            continue
        item_type = _LIST_FIELDS.get(name)
        if item_type and isinstance(value, list):
            for i, item in enumerate(value):
                if not isinstance(item, item_type):
                    errors.add(f"{name}[{i}]", f"must be {'an object' if item_type is dict else 'text'}, "
                                               f"not {_JSON_TYPES[type(item)]}")
                elif item_type is dict:
                    for key, inner in item.items():
                        if inner is not None and not isinstance(inner, str):
                            errors.add(f"{name}[{i}].{key}", f"must be text, not {_JSON_TYPES[type(inner)]}")
            continue
        errors.add(name, f"must be text (a JSON string), not {_JSON_TYPES[type(value)]}")
    return {"__fields__": errors.errors} if errors.errors else None


def _text_errors(row: dict) -> dict | None:
    """{"__fields__": …} for text that cannot be stored (NUL, unpaired surrogates), at any depth."""
    errors = ErrorCollector()

    def walk(name: str, value) -> None:
        if isinstance(value, str):
            if problem := text_problem(value):
                errors.add(name, problem)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(f"{name}[{i}]", item)
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(f"{name}.{key}" if name else str(key), item)

    walk("", row)
    return {"__fields__": errors.errors} if errors.errors else None


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


def _check_columns(columns: list[str], known: tuple[str, ...], required: tuple[tuple[str, ...], ...],
                   report: ImportReport) -> None:
    """Refuses a file up front whose columns (the CSV header, or the keys of a JSONL file) are unknown,
    repeated, or lack a required identity column; `required` lists alternatives, e.g. person or organisation."""
    if not columns:
        return  # an empty file, or one whose every line is broken: its lines are reported instead
    unknown = sorted({name for name in columns if name not in known})
    if unknown:
        report.errors.append(f"line 1: unknown column(s) {', '.join(unknown)}; expected {', '.join(known)}")
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if repeated:
        report.errors.append(f"line 1: column(s) given twice: {', '.join(repeated)}")
    missing = [" or ".join(options) for options in required if not any(name in columns for name in options)]
    if missing:
        report.errors.append(f"line 1: missing required column(s) {', '.join(missing)}")
    if report.errors:
        raise ImportRejected(report)


def _row_is_bad(number: int, row: dict, report: ImportReport) -> bool:
    """Reports a line that did not parse or has fields of the wrong type or with unstorable text."""
    if "__error__" in row:
        report.errors.append(f"line {number}: {row['__error__']}")
    elif "__fields__" in row:
        report.errors.extend(_format(number, FieldErrors(row["__fields__"])))
    else:
        return False
    return True


def _format(number: int, exc: FieldErrors) -> list[str]:
    return [f"line {number}: {name}: {' '.join(messages)}" for name, messages in exc.errors.items()]


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def import_persons(actor: User, path: Path, progress: Callable[[int], None] | None = None, *,
                   encoding: str | None = None) -> ImportReport:
    require_role(actor, R.CASEWORK_ROLES, "import persons")
    report = ImportReport(str(path))
    columns, rows = read_rows(path, encoding)
    _check_columns(columns, PERSON_COLUMNS, PERSON_REQUIRED, report)
    cleaned, seen_refs = [], {}
    for number, row in rows:
        if _row_is_bad(number, row, report):
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


def import_selectors(actor: User, path: Path, progress: Callable[[int], None] | None = None, *,
                     encoding: str | None = None) -> ImportReport:
    require_role(actor, R.CASEWORK_ROLES, "import selectors")
    report = ImportReport(str(path))
    columns, rows = read_rows(path, encoding)
    _check_columns(columns, SELECTOR_COLUMNS, SELECTOR_REQUIRED, report)
    persons = {p.source_ref: p for p in Person.objects.filter(owner_agency_id=actor.agency_id).exclude(source_ref="")}
    organisations = {o.registration_number: o for o in Organisation.objects.filter(
        owner_agency_id=actor.agency_id).exclude(registration_number="")}
    planned = []
    for number, row in rows:
        if _row_is_bad(number, row, report):
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

