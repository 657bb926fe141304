"""The batch contract behind `palermo extract --input tips.jsonl --output out.jsonl`.

All or nothing: every input line is checked before any output is written, and a bad file is
rejected with the line numbers of every bad line. The output appears under its final name only
when complete, so re-running after an interruption is safe.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from palermo.intake.extraction.extractor import UnknownCountryError, check_country, extract

ProgressCallback = Callable[[int, int], None]


class ExtractionInputError(ValueError):
    """The input file has bad lines; `problems` lists (line number, reason) for each."""

    def __init__(self, path: Path, problems: list[tuple[int, str]]):
        self.path = path
        self.problems = problems
        shown = "; ".join(f"line {number}: {reason}" for number, reason in problems[:20])
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        super().__init__(f"{path}: {len(problems)} bad line(s), nothing written: {shown}{more}")


@dataclass(frozen=True)
class ExtractFileSummary:
    tips: int
    selectors: int
    indicators: int
    seconds: float


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line number, record, problem) per non-blank line."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, None, f"not valid JSON ({exc.msg})"
                continue
            yield number, record, _problem(record)


def _problem(record: Any) -> str | None:
    if not isinstance(record, dict):
        return "expected a JSON object"
    if "id" not in record or not isinstance(record["id"], str | int) or isinstance(record["id"], bool):
        return "'id' (a string or an integer) is required"
    if not isinstance(record.get("text"), str):
        return "'text' (a string) is required"
    country = record.get("country")
    if country is not None:
        if not isinstance(country, str):
            return "'country' must be a two-letter code"
        try:
            check_country(country)
        except UnknownCountryError as exc:
            return str(exc)
    return None


def validate_file(path: Path) -> int:
    """Number of tips in the file; raises ExtractionInputError listing every bad line."""
    problems: list[tuple[int, str]] = []
    first_line_of_id: dict[str | int, int] = {}
    count = 0
    for number, record, problem in _records(path):
        count += 1
        if problem:
            problems.append((number, problem))
            continue
        assert record is not None
        earlier = first_line_of_id.setdefault(record["id"], number)
        if earlier != number:
            problems.append((number, f"id {record['id']!r} already used on line {earlier}"))
    if problems:
        raise ExtractionInputError(path, problems)
    return count


def run_extract_file(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    progress: ProgressCallback | None = None,
) -> ExtractFileSummary:
    """Extract every tip of a JSONL file into a JSONL file, one output line per input line in order."""
    source, target = Path(input_path), Path(output_path)
    started = time.perf_counter()
    total = validate_file(source)
    selectors = indicators = done = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            for _number, record, _problem_text in _records(source):
                assert record is not None
                result = extract(record["text"], record.get("country"))
                out.write(json.dumps({"id": record["id"], **result.as_dict()}, ensure_ascii=False) + "\n")
                selectors += len(result.selectors)
                indicators += len(result.indicators)
                done += 1
                if progress:
                    progress(done, total)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return ExtractFileSummary(total, selectors, indicators, time.perf_counter() - started)
