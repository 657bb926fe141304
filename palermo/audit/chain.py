"""The hash chain, in plain Python: how an entry's hash is computed and how a sequence is checked.

Each hash is an HMAC-SHA256 under a key kept outside the database: someone who can write to the
database can delete or edit rows, but cannot give the rewritten rows hashes that verify. Cutting the
tail and moving the head leaves a chain that verifies on its own; a signed checkpoint of an earlier
head, kept outside the database, catches that (`checkpoint` in verify_entries).
"""

from __future__ import annotations

import hashlib
import hmac
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


def _canonical(entry: Mapping) -> bytes:
    return json.dumps({name: entry[name] for name in HASHED_FIELDS}, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"), default=str).encode("utf-8")


def entry_hash(entry: Mapping, key: bytes) -> str:
    """HMAC-SHA256 under `key` over a canonical JSON of every field but the hash itself."""
    return hmac.new(key, _canonical(entry), hashlib.sha256).hexdigest()


def unkeyed_entry_hash(entry: Mapping) -> str:
    """The plain SHA-256 of trails written before the chain was keyed; only the re-keying migration
    reads it, to check such a trail before it is re-hashed under the key."""
    return hashlib.sha256(_canonical(entry)).hexdigest()


@dataclass
class Verification:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    last_hash: str = GENESIS_HASH

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_entries(entries: Iterable[Mapping], head: Mapping | None, key: bytes, progress=None,
                   checkpoints: Mapping[int, str] | None = None, hash_of=None) -> Verification:
    """Finds edited (hash mismatch), deleted (gap in seq or broken link), reordered (seq or link out of
    place) and truncated (head ahead of the last entry) entries. With a checkpoint (seq, hash) taken
    earlier ({seq: hash}), also a trail cut below a checkpoint or rewritten up to it, even with the head moved."""
    hash_of = hash_of or (lambda entry: entry_hash(entry, key))
    result = Verification()
    checkpoints = dict(checkpoints or {})
    seen = set()
    expected_seq = 1
    for entry in entries:
        seq = entry["seq"]
        if seq != expected_seq:
            result.problems.append(f"entry {seq}: expected entry {expected_seq} here (deleted or reordered entries)")
        if entry["prev_hash"] != result.last_hash:
            result.problems.append(f"entry {seq}: does not link to the entry before it (deleted or reordered entries)")
        if hash_of(entry) != entry["hash"]:
            result.problems.append(f"entry {seq}: content does not match its hash (edited)")
        if seq in checkpoints:
            seen.add(seq)
            if entry["hash"] != checkpoints[seq]:
                result.problems.append(f"entry {seq}: differs from the signed checkpoint of entry {seq} "
                                       "(the trail was rewritten up to the checkpoint)")
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
    for missing in sorted(set(checkpoints) - seen - {0}):
        result.problems.append(f"the signed checkpoint records entry {missing}, which the trail no longer "
                               f"holds; it ends at entry {last_seq} (entries removed below the checkpoint)")
    return result
