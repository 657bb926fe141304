"""File contract behind `palermo screen --input people.jsonl --output results.jsonl`.

All or nothing: every line is checked before anything is written, so a rerun after fixing the
input gives the same file and a failed run leaves no partial output behind.
"""

import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import ProtectionDomainError
from .screening import screen

REQUIRED_FIELDS = ("id", "exploitation", "indicators")
ALLOWED_FIELDS = {"id", "age", "exploitation", "indicators"}

Progress = Callable[[int, int], None]


class ScreenFileError(ProtectionDomainError):
    """The input file has errors; `errors` lists them as 'line N: message'."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s) in the input; nothing was written.\n" + "\n".join(errors))


@dataclass(frozen=True)
class ScreenFileSummary:
    people: int
    outcomes: dict[str, int]


def _screen_line(record: object, seen_ids: set[str]) -> dict:
    if not isinstance(record, dict):
        raise ValueError("each line must be a JSON object")
    missing = [field for field in REQUIRED_FIELDS if field not in record]
    if missing:
        raise ValueError(f"missing field(s): {', '.join(missing)}")
    unexpected = sorted(set(record) - ALLOWED_FIELDS)
    if unexpected:
        raise ValueError(f"unexpected field(s): {', '.join(unexpected)}")
    person_id = record["id"]
    if not isinstance(person_id, str | int) or isinstance(person_id, bool) or str(person_id).strip() == "":
        raise ValueError("id must be a non-empty string or integer")
    if str(person_id) in seen_ids:
        raise ValueError(f"duplicate id {person_id!r}")
    seen_ids.add(str(person_id))
    if not isinstance(record["indicators"], list):
        raise ValueError("indicators must be a list of codes")
    result = screen(record["indicators"], age=record.get("age"), exploitation=record["exploitation"])
    return {"id": person_id, "dimensions": result.dimension_flags(), "outcome": result.outcome,
            "explanation": result.explanation}


def run_screen_file(input_path: str | os.PathLike, output_path: str | os.PathLike,
                    progress: Progress | None = None) -> ScreenFileSummary:
    """Screen every person in a JSONL file and write one JSONL result line per person, in input order.

    Raises ScreenFileError with every faulty line number; on error the output file is not touched.
    `progress(done, total)` is called after each line.
    """
    lines = Path(input_path).read_text(encoding="utf-8").splitlines()
    total = len(lines)
    outputs, errors, seen_ids = [], [], set()
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                outputs.append(_screen_line(json.loads(line), seen_ids))
            except json.JSONDecodeError as error:
                errors.append(f"line {number}: not valid JSON ({error.msg})")
            except ValueError as error:
                errors.append(f"line {number}: {error}")
        if progress is not None:
            progress(number, total)
    if errors:
        raise ScreenFileError(errors)
    _write_atomically(Path(output_path), outputs)
    return ScreenFileSummary(len(outputs), dict(Counter(row["outcome"] for row in outputs)))


def _write_atomically(path: Path, rows: list[dict]) -> None:
    """Write to a temporary file beside `path`, then rename, so readers never see half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            for row in rows:
                stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
