"""The hash chain, in plain Python: how an entry's hash is computed and how a sequence is checked."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "seq",
    "timestamp",
    "actor_id",
    "actor_username",
    "agency_code",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "purpose",
    "details",
    "prev_hash",
)


def entry_hash(entry: Mapping) -> str:
    """SHA-256 over a canonical JSON of every field but the hash itself."""
    payload = json.dumps({name: entry[name] for name in HASHED_FIELDS}, sort_keys=True, ensure_ascii=False,
                         separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class Verification:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    last_hash: str = GENESIS_HASH

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_entries(entries: Iterable[Mapping], head: Mapping | None, progress=None) -> Verification:
    """Finds edited (hash mismatch), deleted (gap in seq or broken link), reordered (seq or link out of
    place) and truncated (head ahead of the last entry) entries."""
    result = Verification()
    expected_seq = 1
    for entry in entries:
        seq = entry["seq"]
        if seq != expected_seq:
            result.problems.append(f"entry {seq}: expected entry {expected_seq} here (deleted or reordered entries)")
        if entry["prev_hash"] != result.last_hash:
            result.problems.append(f"entry {seq}: does not link to the entry before it (deleted or reordered entries)")
        if entry_hash(entry) != entry["hash"]:
            result.problems.append(f"entry {seq}: content does not match its hash (edited)")
        result.last_hash = entry["hash"]
        expected_seq = seq + 1
        result.checked += 1
        if progress:
            progress(1)
    last_seq = expected_seq - 1
    if head is not None and (head["last_seq"], head["last_hash"]) != (last_seq, result.last_hash):
        result.problems.append(
            f"the chain head records entry {head['last_seq']} but the trail ends at entry {last_seq} "
            "(entries removed from the end, or the head was altered)"
        )
    return result
