"""Loads the intake data files once; the vocabularies live in palermo/intake/data, not in code."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@cache
def load_json(name: str) -> dict[str, Any]:
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


@cache
def top_level_domains() -> frozenset[str]:
    lines = (DATA_DIR / "tlds.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))
