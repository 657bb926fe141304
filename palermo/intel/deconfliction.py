"""Deconfliction decisions, without Django: who is told about which shared selector, who raised the hit,
and when a user has added too many selectors in too short a time.

Deconfliction must not become an oracle ("does another agency hold this phone?"), so only selectors tied to
a case take part (a phone put on a person who is in no case tells nobody anything), every hit keeps the
user whose addition raised it, and additions per user are limited over a rolling window.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

LIMITS_FILE = Path(__file__).parent / "data" / "deconfliction_limits.json"


@dataclass(frozen=True)
class Holding:
    """One agency's record of a selector value, as deconfliction sees it."""

    selector_id: int
    agency_id: int
    tied_to_case: bool
    last_added_at: datetime | None = None
    last_added_by: int | None = None


@dataclass(frozen=True)
class Hit:
    """Tell `agency_id` that `other_agency_id` holds the same value as its selector `own_selector_id`."""

    agency_id: int
    other_agency_id: int
    own_selector_id: int
    raised_by: int | None


def selector_hits(holdings: list[Holding]) -> list[Hit]:
    """Hits for one selector value: every pair of agencies that both hold it on a record tied to a case.
    The hit is raised by whoever added the value last, because that addition made the match."""
    tied = [h for h in holdings if h.tied_to_case]
    if len({h.agency_id for h in tied}) < 2:
        return []
    dated = [h for h in tied if h.last_added_at is not None]
    raiser = max(dated, key=lambda h: h.last_added_at).last_added_by if dated else None
    return [Hit(own.agency_id, other.agency_id, own.selector_id, raiser)
            for own in tied for other in tied if other.agency_id != own.agency_id]


@dataclass(frozen=True)
class RateLimit:
    """At most `additions` selector additions that trigger deconfliction checks per user per `window`."""

    additions: int
    window: timedelta

    @classmethod
    def from_dict(cls, data: dict) -> RateLimit:
        additions, minutes = int(data["selector_additions"]), int(data["window_minutes"])
        if additions < 1 or minutes < 1:
            raise ValueError("deconfliction limits must allow at least one addition in at least one minute")
        return cls(additions, timedelta(minutes=minutes))

    def allows(self, recent_additions: int, adding: int = 1) -> bool:
        return recent_additions + adding <= self.additions

    def next_allowed_at(self, additions_in_window: list[datetime]) -> datetime | None:
        """When the oldest addition that still counts leaves the window (None when nothing counts)."""
        if len(additions_in_window) < self.additions:
            return None
        ordered = sorted(additions_in_window)
        return ordered[len(ordered) - self.additions] + self.window


def default_limit() -> RateLimit:
    return RateLimit.from_dict(json.loads(LIMITS_FILE.read_text(encoding="utf-8")))
