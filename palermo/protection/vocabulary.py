"""Code lists of the Django layer, read from palermo/protection/data/services.json (no codes in Python)."""

from palermo.protection.domain._data import load


def _entries(key: str) -> list[dict]:
    return load("services.json")[key]


def labels(key: str) -> dict[str, str]:
    """Code -> label for one list: provider_kinds, support_plan_types, rights_items, milestones…"""
    return {entry["code"]: entry["label"] for entry in _entries(key)}


def choices(key: str) -> list[tuple[str, str]]:
    return list(labels(key).items())


def address_is_sensitive(kind: str) -> bool:
    return any(entry["code"] == kind and entry["address_sensitive"] for entry in _entries("provider_kinds"))


def next_referral_statuses(status: str) -> list[str]:
    return next(entry["next"] for entry in _entries("referral_statuses") if entry["code"] == status)
