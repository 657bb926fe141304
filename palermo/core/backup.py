"""`palermo backup` / `palermo restore`: the whole database in one encrypted file.

Consistent: every table is read inside one snapshot (PostgreSQL REPEATABLE READ; on SQLite one read
transaction, which WAL keeps isolated from writers). Identity fields stay Fernet ciphertext, as in the
database, so a backup alone reveals no identity even with its passphrase: restoring needs the same
field keys. The backup records only their fingerprints (and those of the blind-index and audit keys),
never the keys, so restore can refuse up front when the right keys are missing.

File: MAGIC, a plain header (scrypt salt, nonce prefix) and then zlib-compressed JSON lines sealed in
AES-256-GCM chunks. Every chunk is bound to the header, its position and whether it is the last one, so
a swapped, reordered, edited or truncated file is refused, as is a wrong passphrase.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import os
import struct
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from palermo.core import crypto

MAGIC = b"PALERMO-BACKUP-1\n"
CHUNK_BYTES = 1 << 20
ROWS_PER_LINE = 1000
# Sessions are not worth keeping: after a restore everybody logs in again.
NOT_BACKED_UP = {"sessions.session"}
# Filled by `migrate` in every new database; restore replaces them so that ids referring to them match.
# Apps whose data migrations seed tables add those here in ready(), dependent tables first.
FILLED_BY_MIGRATE = ["auth.permission", "contenttypes.contenttype"]
AUDIT_KEY_SETTINGS = ["PALERMO_AUDIT_KEY", "PALERMO_AUDIT_SIGNING_KEY"]
PASSPHRASE_VARIABLE = "PALERMO_BACKUP_PASSPHRASE"


class BackupError(Exception):
    """Something the operator must fix; the message says what."""


# --- keys ---------------------------------------------------------------------------------------

def passphrase(passphrase_file: str | None) -> bytes:
    if passphrase_file:
        value = Path(passphrase_file).read_text().strip()
    else:
        value = os.environ.get(PASSPHRASE_VARIABLE, "")
    if len(value) < 16:
        raise BackupError(f"give a passphrase of at least 16 characters in {PASSPHRASE_VARIABLE} or with "
                          "--passphrase-file; keep it apart from the backups")
    return value.encode()


def _file_key(secret: bytes, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(secret)


def key_fingerprints() -> dict:
    return {
        "field": crypto.field_key_fingerprints(),
        "index": crypto.index_key_fingerprint(),
        "audit": {name: crypto.fingerprint(getattr(settings, name)) for name in AUDIT_KEY_SETTINGS
                  if getattr(settings, name, "")},
    }


def missing_keys(backed_up: dict) -> list[str]:
    """What the configured keys lack to read this backup's data (empty when all is in place)."""
    here = key_fingerprints()
    problems = [f"PALERMO_FIELD_KEY lacks the key with fingerprint {fp} that encrypted identity fields"
                for fp in backed_up["field"] if fp not in here["field"]]
    if backed_up["index"] != here["index"]:
        problems.append(f"the blind-index key differs (backup {backed_up['index']}, here {here['index']}): "
                        "set PALERMO_INDEX_KEY or the first PALERMO_FIELD_KEY as when the backup was made")
    problems += [f"{name} differs from the one the audit trail was kept with (fingerprint {fp})"
                 for name, fp in backed_up["audit"].items() if here["audit"].get(name) != fp]
    return problems


# --- the sealed file ----------------------------------------------------------------------------

class SealedWriter:
    def __init__(self, out: BinaryIO, secret: bytes):
        salt, self.prefix = os.urandom(16), os.urandom(8)
        self.header = json.dumps({"format": 1, "kdf": "scrypt-n15-r8-p1", "salt": _b64(salt),
                                  "nonce_prefix": _b64(self.prefix)}).encode()
        out.write(MAGIC + struct.pack(">I", len(self.header)) + self.header)
        self.out, self.aead, self.counter = out, AESGCM(_file_key(secret, salt)), 0
        self.zip, self.pending = zlib.compressobj(6), b""

    def write_line(self, document: dict) -> None:
        self.pending += self.zip.compress(json.dumps(document, default=_plain, separators=(",", ":")).encode() + b"\n")
        while len(self.pending) >= CHUNK_BYTES:
            self._seal(self.pending[:CHUNK_BYTES], final=False)
            self.pending = self.pending[CHUNK_BYTES:]

    def close(self) -> None:
        self._seal(self.pending + self.zip.flush(), final=True)

    def _seal(self, data: bytes, final: bool) -> None:
        sealed = self.aead.encrypt(self.prefix + struct.pack(">I", self.counter), data,
                                   _aad(self.header, self.counter, final))
        self.out.write(struct.pack(">?I", final, len(sealed)) + sealed)
        self.counter += 1


def read_lines(source: BinaryIO, secret: bytes) -> Iterator[dict]:
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError("this is not a Palermo backup file")
    (size,) = struct.unpack(">I", source.read(4))
    header_bytes = source.read(size)
    header = json.loads(header_bytes)
    aead = AESGCM(_file_key(secret, base64.b64decode(header["salt"])))
    prefix, unzip, buffer, counter, final = base64.b64decode(header["nonce_prefix"]), zlib.decompressobj(), b"", 0, False
    while not final:
        frame = source.read(5)
        if len(frame) < 5:
            raise BackupError("the backup file is truncated")
        final, length = struct.unpack(">?I", frame)
        sealed = source.read(length)
        try:
            data = aead.decrypt(prefix + struct.pack(">I", counter), sealed, _aad(header_bytes, counter, final))
        except InvalidTag:
            raise BackupError("wrong passphrase, or the backup file was altered or truncated") from None
        counter += 1
        buffer += unzip.decompress(data)
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            yield json.loads(line)
    if source.read(1):
        raise BackupError("the backup file has data after its last chunk")


def _aad(header: bytes, counter: int, final: bool) -> bytes:
    return header + struct.pack(">I?", counter, final)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _plain(value):
    """JSON for what the ORM returns; datetimes keep their microseconds (the audit hashes include them)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | memoryview):
        return _b64(bytes(value))
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


# --- what is in the database ---------------------------------------------------------------------

def backed_up_models() -> list:
    return [m for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in NOT_BACKED_UP]


def _columns(model) -> list:
    return list(model._meta.local_concrete_fields)


def _raw_rows(model) -> Iterator[tuple]:
    """Rows as stored: identity fields as their ciphertext (a plain text cast skips decryption)."""
    encrypted = {f.attname for f in crypto.encrypted_fields(model)}
    names = [f"sealed_{f.attname}" if f.attname in encrypted else f.attname for f in _columns(model)]
    queryset = (model._base_manager.order_by("pk")
                .annotate(**{f"sealed_{name}": Cast(name, TextField()) for name in encrypted})
                .values_list(*names))
    return queryset.iterator(chunk_size=2000)


@contextmanager
def _snapshot():
    if connection.in_atomic_block:
        raise BackupError("a backup runs in its own transaction, not inside another one")
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    # SQLite: Django's transactions begin IMMEDIATE (a write lock); a deferred read transaction gives the
    # same single snapshot under WAL without holding up the people working meanwhile.
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            cursor.execute("ROLLBACK")


def write_backup(out: BinaryIO, secret: bytes, progress: Callable[[str, int, int], None]) -> dict:
    """Write the sealed backup; returns the manifest (counts, key fingerprints)."""
    writer = SealedWriter(out, secret)
    with _snapshot():
        models = backed_up_models()
        counts = {m._meta.label_lower: m._base_manager.count() for m in models}
        manifest = {
            "created": timezone.now().isoformat(),
            "database": connection.vendor,
            "migrations": sorted(MigrationRecorder(connection).applied_migrations()),
            "keys": key_fingerprints(),
            "counts": counts,
        }
        writer.write_line({"manifest": manifest})
        total = sum(counts.values())
        progress("backing up", 0, total)
        for model in models:
            label, batch = model._meta.label_lower, []
            for row in _raw_rows(model):
                batch.append(row)
                if len(batch) == ROWS_PER_LINE:
                    writer.write_line({"model": label, "rows": batch})
                    progress("backing up", len(batch), total)
                    batch = []
            if batch:
                writer.write_line({"model": label, "rows": batch})
                progress("backing up", len(batch), total)
    writer.write_line({"end": True})
    writer.close()
    return manifest


# --- restore ------------------------------------------------------------------------------------

def read_manifest(source: BinaryIO, secret: bytes) -> tuple[dict, Iterator[dict]]:
    lines = read_lines(source, secret)
    first = next(lines)
    if "manifest" not in first:
        raise BackupError("the backup file has no manifest")
    return first["manifest"], lines


def rows_already_here() -> dict[str, int]:
    """Tables (that exist) holding rows, apart from what `migrate` fills in by itself."""
    existing = set(connection.introspection.table_names())
    return {m._meta.label_lower: n for m in backed_up_models()
            if m._meta.db_table in existing and m._meta.label_lower not in FILLED_BY_MIGRATE
            and (n := m._base_manager.count())}


def check_migrations(manifest: dict) -> None:
    here = {tuple(m) for m in MigrationRecorder(connection).applied_migrations()}
    there = {tuple(m) for m in manifest["migrations"]}
    if here != there:
        differ = sorted(here ^ there)[:5]
        raise BackupError("the backup was made with a different Palermo version (migrations differ, e.g. "
                          f"{', '.join('.'.join(m) for m in differ)}): restore with the version that made it, "
                          "then upgrade")


def load_rows(manifest: dict, lines: Iterator[dict], progress: Callable[[str, int, int], None]) -> dict:
    by_label = {m._meta.label_lower: m for m in backed_up_models()}
    total, loaded = sum(manifest["counts"].values()), {}
    progress("restoring", 0, total)
    with transaction.atomic(), connection.cursor() as cursor:
        for label in FILLED_BY_MIGRATE:
            by_label[label]._base_manager.all().delete()
        for line in lines:
            if "end" in line:
                break
            model = by_label.get(line["model"])
            if model is None:
                raise BackupError(f"the backup holds {line['model']}, which this Palermo does not have")
            cursor.executemany(_insert_sql(model), [_prepared(model, row) for row in line["rows"]])
            loaded[line["model"]] = loaded.get(line["model"], 0) + len(line["rows"])
            progress("restoring", len(line["rows"]), total)
        else:
            raise BackupError("the backup file ends before its last table")
        if loaded != {label: n for label, n in manifest["counts"].items() if n}:
            raise BackupError("the backup's row counts do not match its manifest; nothing was restored")
        for sql in connection.ops.sequence_reset_sql(no_style(), list(by_label.values())):
            cursor.execute(sql)
    return loaded


def _insert_sql(model) -> str:
    quote = connection.ops.quote_name
    columns = _columns(model)
    return (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})")


def _prepared(model, row: list) -> list:
    encrypted = set(crypto.encrypted_fields(model))
    values = []
    for field, value in zip(_columns(model), row, strict=True):
        if value is None or field in encrypted:
            values.append(value)  # ciphertext goes back exactly as it was stored
        else:
            values.append(field.get_db_prep_save(field.to_python(value), connection))
    return values
