"""Extraction benchmark: recall and precision per selector type on generated tips, tips per second,
and libphonenumber's own PhoneNumberMatcher (tip country as region) on the same tips for phones.

    .venv/bin/python bench/extraction_benchmark.py [--size 2000] [--repeats 3]

Tips come from bench/tipgen.py (fixed seed) and are generated in memory; the JSONL runner is timed
on a temporary file. Results go to standard output; docs/benchmarks/extraction.md records them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import phonenumbers

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tipgen import SEED, Tip, generate_tips  # noqa: E402

from palermo.intake.extraction import extract, run_extract_file  # noqa: E402

SELECTOR_TYPES = ("phone", "email", "handle", "url")


def score(tips: list[Tip], predictions: list[set[tuple[str, str]]], types=SELECTOR_TYPES) -> dict:
    """Per type: true positives, false positives, false negatives, recall, precision; and recall
    per obfuscation style. A prediction counts once per tip (the same value twice is one)."""
    counts = {t: Counter() for t in types}
    by_style: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for tip, predicted in zip(tips, predictions, strict=True):
        expected = {(t.type, t.value) for t in tip.truth if t.type in types}
        for truth in tip.truth:
            if truth.type in types:
                by_style[(truth.type, truth.style)][
                    "hit" if (truth.type, truth.value) in predicted else "miss"
                ] += 1
        for kind, value in predicted:
            if kind in types:
                counts[kind]["tp" if (kind, value) in expected else "fp"] += 1
        for kind, _value in expected - predicted:
            counts[kind]["fn"] += 1
    summary = {}
    for kind, c in counts.items():
        tp, fp, fn = c["tp"], c["fp"], c["fn"]
        summary[kind] = {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "recall": tp / (tp + fn) if tp + fn else 1.0,
            "precision": tp / (tp + fp) if tp + fp else 1.0,
        }
    styles = {f"{k}/{s}": c["hit"] / (c["hit"] + c["miss"]) for (k, s), c in sorted(by_style.items())}
    return {"types": summary, "styles": styles}


def run_palermo(tips: list[Tip]) -> list[set[tuple[str, str]]]:
    return [{(s.type, s.value) for s in extract(tip.text, tip.country).selectors} for tip in tips]


def run_phonenumbermatcher(tips: list[Tip]) -> list[set[tuple[str, str]]]:
    results = []
    for tip in tips:
        found = set()
        for match in phonenumbers.PhoneNumberMatcher(tip.text, tip.country):
            found.add(
                ("phone", phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164))
            )
        results.append(found)
    return results


def timed(function, tips, repeats):
    seconds = []
    result = None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function(tips)
        seconds.append(time.perf_counter() - started)
    return result, statistics.median(seconds)


def time_jsonl_runner(tips: list[Tip], repeats: int) -> float:
    with tempfile.TemporaryDirectory() as directory:
        source, target = Path(directory, "tips.jsonl"), Path(directory, "out.jsonl")
        source.write_text("".join(json.dumps(t.as_input(), ensure_ascii=False) + "\n" for t in tips), "utf-8")
        seconds = []
        for _ in range(repeats):
            started = time.perf_counter()
            run_extract_file(source, target)
            seconds.append(time.perf_counter() - started)
        return statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description="Extraction benchmark")
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()

    extract("warm-up: load lexicons and the language profiles 0721 234 567", "RO")
    tips = generate_tips(args.size, args.seed)
    selector_count = Counter(t.type for tip in tips for t in tip.truth)
    ours, ours_seconds = timed(run_palermo, tips, args.repeats)
    theirs, theirs_seconds = timed(run_phonenumbermatcher, tips, args.repeats)
    runner_seconds = time_jsonl_runner(tips, args.repeats)
    ours_score = score(tips, ours)
    theirs_score = score(tips, theirs, types=("phone",))

    report = {
        "machine": {
            "nproc": os.cpu_count(),
            "python": platform.python_version(),
            "phonenumbers": phonenumbers.__version__,
        },
        "tips": len(tips),
        "languages": sorted({t.language for t in tips}),
        "selectors": dict(selector_count),
        "repeats": args.repeats,
        "palermo": {
            "tips_per_second": round(len(tips) / ours_seconds, 1),
            "jsonl_runner_tips_per_second": round(len(tips) / runner_seconds, 1),
            **ours_score,
        },
        "phonenumbermatcher": {"tips_per_second": round(len(tips) / theirs_seconds, 1), **theirs_score},
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
