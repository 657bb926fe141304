"""Selector and indicator extraction from free-text tips (plain Python, no Django).

extract(text, country=None) -> Extraction
run_extract_file(input_path, output_path, progress=None) -> ExtractFileSummary
"""

from palermo.intake.extraction.extractor import UnknownCountryError, extract
from palermo.intake.extraction.jsonl import ExtractFileSummary, ExtractionInputError, run_extract_file
from palermo.intake.extraction.result import Extraction, FoundSelector, IndicatorHit

__all__ = [
    "ExtractFileSummary",
    "Extraction",
    "ExtractionInputError",
    "FoundSelector",
    "IndicatorHit",
    "UnknownCountryError",
    "extract",
    "run_extract_file",
]
