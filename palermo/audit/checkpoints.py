"""Signed checkpoints of the audit chain's head, kept outside the database.

A checkpoint says "on this instance, at this time, entry N of the trail had hash H", signed with the
Ed25519 key in PALERMO_AUDIT_SIGNING_KEY. The oversight body keeps the files; `palermo audit verify`
checks the trail against the last one, which catches what the keyed chain alone cannot: a tail cut off
with the head moved back, or a rewrite by someone who also holds the chain key.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from django.conf import settings
from django.utils import timezone

from palermo.audit import keys
from palermo.audit.chain import GENESIS_HASH
from palermo.audit.models import AuditHead

FORMAT = "palermo-audit-checkpoint/1"


class CheckpointError(ValueError):
    """A checkpoint file that cannot be trusted: unreadable, wrong format or bad signature."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    time: str
    instance: str

    def signed_bytes(self) -> bytes:
        return json.dumps({"format": FORMAT, **asdict(self)}, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _document(checkpoint: Checkpoint) -> dict:
    private = keys.signing_key()
    return {"format": FORMAT, **asdict(checkpoint),
            "public_key": keys.public_key_text(private.public_key()),
            "signature": base64.urlsafe_b64encode(private.sign(checkpoint.signed_bytes())).decode("ascii")}


def current() -> Checkpoint:
    head = AuditHead.objects.filter(pk=1).values("last_seq", "last_hash").first()
    seq, digest = (head["last_seq"], head["last_hash"]) if head else (0, GENESIS_HASH)
    return Checkpoint(seq=seq, hash=digest, time=timezone.now().isoformat(timespec="seconds"),
                      instance=settings.PALERMO_INSTANCE)


def signed_document() -> dict:
    """A signed checkpoint of the head as it is now, as the JSON document that is exported."""
    return _document(current())


def checkpoint_dir() -> Path:
    return Path(settings.PALERMO_AUDIT_CHECKPOINT_DIR)


def _file_name(checkpoint: Checkpoint) -> str:
    return f"checkpoint-{checkpoint.seq:012d}-{checkpoint.hash[:16]}.json"


def make_checkpoint(directory: Path | None = None) -> dict:
    """Signs the current head and writes it to the checkpoint directory (for the background worker's
    schedule and for `palermo audit checkpoint`). When the head has not moved since the last file,
    nothing new is written and that file's document is returned."""
    directory = Path(directory or checkpoint_dir())
    directory.mkdir(parents=True, exist_ok=True)
    checkpoint = current()
    target = directory / _file_name(checkpoint)
    if target.exists():
        return json.loads(target.read_text(encoding="utf-8"))
    document = _document(checkpoint)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".checkpoint-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(document, out, indent=2, sort_keys=True)
    os.replace(tmp, target)
    return document


def exported_files(directory: Path | None = None) -> list[Path]:
    """Every checkpoint exported to the directory, oldest head first (the last is the latest)."""
    directory = Path(directory or checkpoint_dir())
    return sorted(directory.glob("checkpoint-*.json")) if directory.is_dir() else []


def load(path: Path) -> Checkpoint:
    """Reads a checkpoint file and checks its signature against the verifying key (not against the key
    the file itself carries, which anyone could replace)."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        if document.get("format") != FORMAT:
            raise CheckpointError(f"{path}: not a Palermo audit checkpoint")
        checkpoint = Checkpoint(seq=int(document["seq"]), hash=str(document["hash"]), time=str(document["time"]),
                                instance=str(document["instance"]))
        signature = base64.urlsafe_b64decode(document["signature"])
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, CheckpointError):
            raise
        raise CheckpointError(f"{path}: unreadable checkpoint ({type(exc).__name__})") from exc
    try:
        keys.verifying_key().verify(signature, checkpoint.signed_bytes())
    except InvalidSignature as exc:
        raise CheckpointError(f"{path}: the signature does not match (forged or altered checkpoint)") from exc
    return checkpoint
