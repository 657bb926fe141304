"""Loads the protection data files once; vocabularies live in palermo/protection/data, not in code."""

import json
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@cache
def load(name: str) -> dict:
    """Return the parsed JSON data file `name` (cached: the files are read-only reference data)."""
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return json.load(handle)
