"""The ILO/EC 2009 operational indicators of trafficking, read from the catalogue data file."""

from dataclasses import dataclass
from functools import cache

from ._data import load
from .errors import CatalogueListUnavailableError, UnknownIndicatorError, WrongIndicatorListError

CATALOGUE_FILE = "ilo_ec_indicators_2009.json"
POPULATIONS = ("adults", "children")
EXPLOITATIONS = ("labour", "sexual")
STRENGTHS = ("strong", "medium", "weak")


@dataclass(frozen=True)
class Dimension:
    key: str
    name: str
    label: str
    group: str


@dataclass(frozen=True)
class Indicator:
    code: str
    list_key: str
    dimension: str
    strength: str
    wording: str


def raw() -> dict:
    return load(CATALOGUE_FILE)


@cache
def dimensions() -> tuple[Dimension, ...]:
    return tuple(Dimension(**entry) for entry in raw()["dimensions"])


def dimension(key: str) -> Dimension:
    for entry in dimensions():
        if entry.key == key:
            return entry
    raise KeyError(key)


def list_key(population: str, exploitation: str) -> str:
    if population not in POPULATIONS:
        raise ValueError(f"population must be one of {POPULATIONS}, not {population!r}")
    if exploitation not in EXPLOITATIONS:
        raise ValueError(f"exploitation must be one of {EXPLOITATIONS}, not {exploitation!r}")
    return f"{population}_{exploitation}"


def list_label(key: str) -> str:
    return key.replace("_", "/")


@cache
def _index() -> dict[str, Indicator]:
    index = {}
    for key, entry in raw()["lists"].items():
        for item in entry["indicators"]:
            index[item["code"]] = Indicator(code=item["code"], list_key=key, dimension=item["dimension"],
                                            strength=item["strength"], wording=item["wording"])
    return index


def _prefix_list(code: str) -> str | None:
    """The list a code's prefix names (ADL/CHD, LAB/SEX), even when that list is not transcribed."""
    parts = code.split("-")
    populations = {"ADL": "adults", "CHD": "children"}
    exploitations = {"LAB": "labour", "SEX": "sexual"}
    if len(parts) == 4 and parts[0] in populations and parts[1] in exploitations:
        return f"{populations[parts[0]]}_{exploitations[parts[1]]}"
    return None


@cache
def indicators_of(key: str) -> tuple[Indicator, ...]:
    """All indicators of one list; raises when the list is not available in the catalogue."""
    entry = raw()["lists"][key]
    if entry["status"] != "available":
        raise CatalogueListUnavailableError(
            f"The ILO/EC {list_label(key)} list is not in the catalogue: {entry['missing_reason']}"
        )
    return tuple(indicator for indicator in _index().values() if indicator.list_key == key)


def lookup(code: str, expected_list: str) -> Indicator:
    """Return the indicator for `code`, checking it belongs to `expected_list`."""
    indicators_of(expected_list)
    indicator = _index().get(code)
    if indicator is None:
        named_list = _prefix_list(code)
        if named_list is not None and named_list != expected_list:
            raise WrongIndicatorListError(
                f"Indicator {code!r} belongs to the {list_label(named_list)} list, but this person is "
                f"screened against the {list_label(expected_list)} list."
            )
        raise UnknownIndicatorError(f"Unknown indicator code {code!r} (not in the ILO/EC 2009 catalogue).")
    if indicator.list_key != expected_list:
        raise WrongIndicatorListError(
            f"Indicator {code!r} ({indicator.wording}) belongs to the {list_label(indicator.list_key)} "
            f"list, but this person is screened against the {list_label(expected_list)} list."
        )
    return indicator
