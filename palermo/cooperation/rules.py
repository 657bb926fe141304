"""Rules of requests between states and agencies: kinds, deadlines, status changes, reminders.

Plain Python (no Django): the same rules serve the services, the API and the scheduled reminders.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "request_kinds.csv"

OUTGOING, INCOMING = "outgoing", "incoming"
SENT, ACKNOWLEDGED, IN_PROGRESS, EXECUTED, REFUSED, WITHDRAWN = (
    "sent", "acknowledged", "in_progress", "executed", "refused", "withdrawn")
STATUSES = {
    SENT: "Sent, not yet acknowledged",
    ACKNOWLEDGED: "Acknowledged",
    IN_PROGRESS: "In progress",
    EXECUTED: "Executed / answered",
    REFUSED: "Refused",
    WITHDRAWN: "Withdrawn by the requester",
}
EVENTS = {
    "sent": "Sent",
    "received": "Received",
    "reminder_sent": "Reminder sent",
    "reminder_received": "Reminder received",
}
CLOSED = frozenset({EXECUTED, REFUSED, WITHDRAWN})

# Who moves a request on: the addressee answers it, the requester may only withdraw it.
ADDRESSEE_MOVES = {
    SENT: {ACKNOWLEDGED, IN_PROGRESS, EXECUTED, REFUSED},
    ACKNOWLEDGED: {IN_PROGRESS, EXECUTED, REFUSED},
    IN_PROGRESS: {EXECUTED, REFUSED},
}
REQUESTER_MOVES = {SENT: {WITHDRAWN}, ACKNOWLEDGED: {WITHDRAWN}, IN_PROGRESS: {WITHDRAWN}}
NOTE_REQUIRED = frozenset({REFUSED, WITHDRAWN, EXECUTED})


@dataclass(frozen=True)
class RequestKind:
    code: str
    label: str
    deadline: timedelta
    urgent: bool
    remind_every: timedelta | None
    roles: frozenset[str]
    basis: str


@cache
def kinds() -> dict[str, RequestKind]:
    with DATA.open(encoding="utf-8") as handle:
        return {row["code"]: RequestKind(
            code=row["code"], label=row["label"], deadline=timedelta(days=float(row["deadline_days"])),
            urgent=row["urgent"] == "1",
            remind_every=timedelta(days=float(row["reminder_every_days"])) if float(row["reminder_every_days"]) else None,
            roles=frozenset(row["roles"].split()), basis=row["basis"]) for row in csv.DictReader(handle)}


def allowed_moves(direction: str, status: str) -> set[str]:
    """Statuses a request can move to from here, on this side of the exchange."""
    table = ADDRESSEE_MOVES if direction == INCOMING else REQUESTER_MOVES
    return set(table.get(status, set()))


def move_problems(direction: str, status: str, new_status: str, note: str) -> list[tuple[str, str]]:
    problems = []
    if new_status not in allowed_moves(direction, status):
        problems.append(("status", f"a request that is {STATUSES.get(status, status).lower()} cannot become "
                                   f"{STATUSES.get(new_status, new_status).lower()} from this side"))
    if new_status in NOTE_REQUIRED and not note.strip():
        problems.append(("note", "say why (refusal, withdrawal) or what was done (execution)"))
    return problems


def deadline_problems(kind: RequestKind, sent_at: datetime, deadline: datetime | None) -> list[tuple[str, str]]:
    """A requester may ask for an answer sooner than the kind's default, never later or in the past."""
    if deadline is None:
        return []
    if deadline <= sent_at:
        return [("deadline", "must be in the future")]
    if deadline > sent_at + kind.deadline:
        return [("deadline", f"cannot be later than the usual {kind.deadline.days or 1} day(s) for this kind")]
    return []


def is_overdue(status: str, deadline: datetime, now: datetime) -> bool:
    return status not in CLOSED and deadline < now


def reminder_due(kind: RequestKind, status: str, deadline: datetime, last_reminder: datetime | None,
                 now: datetime) -> bool:
    """An overdue open request is reminded at once, then every `remind_every` while it stays open."""
    if kind.remind_every is None or not is_overdue(status, deadline, now):
        return False
    return last_reminder is None or now - last_reminder >= kind.remind_every
