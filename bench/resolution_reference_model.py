"""Train the reference model used for inputs too small to train on, and save it as a data file.

    .venv/bin/python bench/resolution_reference_model.py [--size 30000]

Deterministic: fixed generator seed, seeded u sampling, EM on fixed blocking rules.
"""

from __future__ import annotations

import argparse
import json
import logging

import pandas as pd
from splink import Linker

from palermo.intel.resolution.model import REFERENCE_MODEL, REFERENCE_RECORDS, ModelOptions, settings, train
from palermo.intel.resolution.pipeline import database_api
from palermo.intel.resolution.records import comparison_rows
from palermo.intel.resolution.synthetic import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=REFERENCE_RECORDS)
    arguments = parser.parse_args()
    records, _ = generate(arguments.size, seed=1)
    rows = pd.DataFrame(comparison_rows(records)).drop(columns=["address"])
    options = ModelOptions()
    linker = Linker(database_api("duckdb").register(rows), settings(options), log_level=logging.ERROR)
    train(linker, options)
    model = linker.misc.save_model_to_json()
    model.pop("linker_uid", None)
    REFERENCE_MODEL.write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {REFERENCE_MODEL} from {arguments.size} synthetic records (seed 1)")


if __name__ == "__main__":
    main()
