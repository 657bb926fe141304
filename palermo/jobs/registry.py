"""Job kinds and schedules, registered by the apps that own the work (this app imports none of them).

An app registers in its `AppConfig.ready()`:

    from palermo.jobs import registry
    registry.register("intake.escalate", escalate_job, label=_("SLA escalation"))
    registry.register_schedule("intake.escalate", minutes=5)

A handler is `handler(job, progress) -> dict | None`: it reads its input from `job.params` (and
`job.requested_by`, whose visibility bounds what it may touch), reports `progress(done, total, message)`
and returns the result stored on the job. A handler may be run again after a crash or a failed attempt,
so it must be idempotent: every write it makes is atomic and checks whether it was already made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class UnknownJobKind(LookupError):
    pass


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Callable
    label: str
    max_attempts: int = 3


@dataclass(frozen=True)
class JobSchedule:
    kind: str
    minutes: int


_KINDS: dict[str, JobKind] = {}
_SCHEDULES: dict[str, JobSchedule] = {}


def register(name: str, handler: Callable, *, label, max_attempts: int = 3) -> JobKind:
    """Make `name` runnable (registering it again replaces it)."""
    _KINDS[name] = JobKind(name, handler, label, max_attempts)
    return _KINDS[name]


def register_schedule(kind: str, *, minutes: int) -> JobSchedule:
    """Run `kind` every `minutes` minutes; `palermo worker` creates or updates the schedule on start."""
    if minutes < 1:
        raise ValueError("a schedule runs at most once a minute")
    _SCHEDULES[kind] = JobSchedule(kind, minutes)
    return _SCHEDULES[kind]


def register_housekeeping(name: str, func: Callable[[], object], *, label, minutes: int) -> JobKind:
    """A scheduled chore without input, e.g. the hourly audit checkpoint:
    `register_housekeeping("audit.checkpoint", make_checkpoint, label=_("Audit checkpoint"), minutes=60)`.
    Whatever dict `func` returns becomes the job's result."""

    def handler(job, progress):
        outcome = func()
        return outcome if isinstance(outcome, dict) else {}

    register_schedule(name, minutes=minutes)
    return register(name, handler, label=label)


def kind(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError as exc:
        raise UnknownJobKind(name) from exc


def kinds() -> dict[str, JobKind]:
    return dict(_KINDS)


def schedules() -> dict[str, JobSchedule]:
    return dict(_SCHEDULES)
