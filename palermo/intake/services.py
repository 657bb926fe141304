"""Writes of the intake app: record a signal (extract, triage, group, route), reassign, escalate,
public reports with follow-up codes, the channel API's idempotent batches and the routing rules.

Every write validates first (FieldErrors, nothing changed), then writes and audits in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from palermo.accounts import roles as R
from palermo.accounts.models import Agency, TaskForce, User
from palermo.audit import services as audit
from palermo.core import vocab
from palermo.core.crypto import blind_index
from palermo.core.models import Share
from palermo.core.rules import ErrorCollector, FieldErrors, name_key
from palermo.core.services import NotPermitted, content_object_type, require_role
from palermo.intake import vocabularies as IV
from palermo.intake.extraction import extract
from palermo.intake.models import (
    Assignment,
    ChannelSubmission,
    PublicAttempt,
    ReportReceipt,
    RoutingRule,
    Signal,
    SignalNote,
    SignalSelector,
    Situation,
)
from palermo.intake.triage import LEVELS, TriageFacts, triage

INTAKE_ROLES = frozenset({R.HOTLINE_OPERATOR, R.ANALYST, R.INVESTIGATOR, R.CASE_MANAGER, R.SUPERVISOR,
                          R.NATIONAL_COORDINATOR})
QUEUE_MANAGING_ROLES = frozenset({R.SUPERVISOR, R.NATIONAL_COORDINATOR})
MAX_TEXT = 8000
MAX_CONTACT = 300
SYSTEM_USERNAME = "intake-system"

# Public abuse limits, per address and hour.
PUBLIC_LIMITS = {"report": 5, "follow_up": 20}


def system_user() -> User:
    """The actor of automatic steps (public reports, escalations): inactive, no agency, cannot log in."""
    user, created = User.objects.get_or_create(username=SYSTEM_USERNAME, defaults={"is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


# --- validation ---------------------------------------------------------------------------------

def _tristate(value) -> bool | None:
    if value in (None, "", "unknown"):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "true", "1", "on"):
        return True
    if text in ("no", "false", "0", "off"):
        return False
    raise ValueError("answer yes, no or unknown")


def validate_signal(data: dict) -> dict:
    """Checks every field and returns clean values; raises FieldErrors listing each bad field."""
    errors = ErrorCollector()
    clean: dict = {}
    for field, choices, default in (("channel", IV.CHANNELS, None), ("caller_type", IV.CALLER_TYPES, "Anonymous"),
                                    ("venue_type", IV.VENUE_TYPES, ""),
                                    ("exploitation_type", IV.EXPLOITATION_TYPES, "")):
        value = (data.get(field) or default or "").strip()
        if field == "channel" and not value:
            errors.add(field, "required")
        elif value and value not in IV.codes(choices):
            errors.add(field, f"unknown code {value!r}")
        clean[field] = value
    country = (data.get("country") or "").strip().upper()
    if not country:
        errors.add("country", "required: the country the situation is in (or the reporter's, if unknown)")
    elif not vocab.is_country(country):
        errors.add("country", f"{country!r} is not an ISO 3166 country code")
    clean["country"] = country
    for field, limit in (("region", 120), ("location", 300), ("interpreter_language", 12)):
        value = (data.get(field) or "").strip()
        if len(value) > limit:
            errors.add(field, f"at most {limit} characters")
        clean[field] = value
    text = data.get("text") or ""
    if not isinstance(text, str):
        errors.add("text", "must be text")
        text = ""
    if len(text) > MAX_TEXT:
        errors.add("text", f"at most {MAX_TEXT} characters")
    clean["text"] = text.strip()
    contact = (data.get("reporter_contact") or "").strip()
    if len(contact) > MAX_CONTACT:
        errors.add("reporter_contact", f"at most {MAX_CONTACT} characters")
    clean["reporter_contact"] = contact
    names = data.get("names_mentioned") or []
    if isinstance(names, str):
        names = re.split(r"[\n;,]+", names)
    clean["names_mentioned"] = [n.strip() for n in names if str(n).strip()]
    if any(len(n) > 200 for n in clean["names_mentioned"]) or len(clean["names_mentioned"]) > 20:
        errors.add("names_mentioned", "at most 20 names of at most 200 characters each")
    for field in ("minors_involved", "immediate_danger", "ongoing_exploitation"):
        try:
            clean[field] = _tristate(data.get(field))
        except ValueError as exc:
            errors.add(field, str(exc))
    clean["interpreter_needed"] = bool(data.get("interpreter_needed"))
    if clean["interpreter_needed"] and not clean["interpreter_language"]:
        errors.add("interpreter_language", "say which language the interpreter must speak")
    checked = list(data.get("indicator_codes") or [])
    unknown = [code for code in checked if code not in IV.codes(IV.indicator_choices())]
    if unknown:
        errors.add("indicator_codes", f"unknown indicator code(s): {', '.join(map(str, unknown))}")
    clean["indicator_codes"] = list(dict.fromkeys(checked))
    received_at = data.get("received_at") or timezone.now()
    if isinstance(received_at, str):
        try:
            received_at = datetime.fromisoformat(received_at)
        except ValueError:
            errors.add("received_at", "use an ISO 8601 date and time")
    if isinstance(received_at, datetime):
        if timezone.is_naive(received_at):
            received_at = timezone.make_aware(received_at)
        if received_at > timezone.now() + timedelta(minutes=5):
            errors.add("received_at", "cannot be in the future")
    clean["received_at"] = received_at
    if not (clean["text"] or clean["location"] or clean["indicator_codes"] or clean["exploitation_type"]):
        errors.add("text", "describe what was reported")
    errors.raise_if_any()
    return clean


# --- routing ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Route:
    agency: Agency | None
    task_force: TaskForce | None
    reason: str


def national_coordinator(country: str) -> Agency | None:
    return Agency.objects.filter(country=country, agency_type="NationalCoordinator").order_by("pk").first()


class RoutingTable:
    """Active routing rules and national coordinators, read once per country and kept for one batch of tips
    (a batch of a hundred tips read them a hundred times)."""

    def __init__(self):
        self._rules: dict[str, list[RoutingRule]] = {}
        self._coordinators: dict[str, Agency | None] = {}

    def rules(self, country: str) -> list[RoutingRule]:
        if country not in self._rules:
            self._rules[country] = list(RoutingRule.objects.filter(active=True, country=country).select_related(
                "target_agency", "target_task_force").order_by("pk"))
        return self._rules[country]

    def coordinator(self, country: str) -> Agency | None:
        if country not in self._coordinators:
            self._coordinators[country] = national_coordinator(country)
        return self._coordinators[country]


def route(country: str, region: str = "", exploitation_type: str = "", venue_type: str = "",
          table: RoutingTable | None = None) -> Route:
    """The most specific active rule that matches; otherwise the national coordinator's queue."""
    table = table or RoutingTable()
    best, best_score = None, -1
    for rule in table.rules(country):
        criteria = [(rule.region, region), (rule.exploitation_type, exploitation_type),
                    (rule.venue_type, venue_type)]
        if any(wanted and wanted.casefold() != (given or "").casefold() for wanted, given in criteria):
            continue
        score = sum(1 for wanted, _ in criteria if wanted)
        if score > best_score:
            best, best_score = rule, score
    if best is not None:
        return Route(best.target_agency, best.target_task_force,
                     f"Routing rule #{best.pk} ({best.describe()}) sends it to {best.target}.")
    coordinator = table.coordinator(country)
    if coordinator is not None:
        return Route(coordinator, None, f"No routing rule matches; it goes to the national queue of "
                                        f"{vocab.countries().get(country, country)} ({coordinator.name}).")
    raise FieldErrors({"country": [f"no agency receives signals for {country} yet: ask a supervisor for a "
                                   "routing rule or a national coordinator"]})


def _share_with_queue(actor: User, signal: Signal, agency: Agency | None, task_force: TaskForce | None,
                      purpose: str) -> None:
    if agency is not None and agency.pk == signal.owner_agency_id:
        return
    Share.objects.create(content_type=content_object_type(signal), object_id=signal.pk, to_agency=agency,
                         to_task_force=task_force, purpose=purpose, created_by=actor)


def _revoke_queue_share(actor: User, signal: Signal, agency: Agency | None, task_force: TaskForce | None) -> None:
    Share.objects.filter(content_type=content_object_type(signal), object_id=signal.pk, to_agency=agency,
                         to_task_force=task_force, revoked_at__isnull=True).update(revoked_at=timezone.now(),
                                                                                  revoked_by=actor)


# --- recording ----------------------------------------------------------------------------------

@dataclass
class _Tip:
    """One validated tip with what extraction found in it: computed before any database work."""

    clean: dict
    language: str
    selectors: list[dict]
    indicators: list[dict]
    indexes: list[tuple[str, str]]
    names: list[tuple[str, str]]
    codes: list[str]


def _extracted(clean: dict) -> _Tip:
    found = extract(clean["text"], clean["country"]) if clean["text"] else None
    selectors = [{**s.as_dict(), "raw": s.raw} for s in found.selectors] if found else []
    return _Tip(
        clean=clean, language=(found.language or "") if found else "", selectors=selectors,
        indicators=[{**h.as_dict(), "term": h.term} for h in found.indicators] if found else [],
        indexes=list(dict.fromkeys((s["type"], blind_index(s["type"], s["value"])) for s in selectors)),
        names=[(n, blind_index("name", name_key(n))) for n in clean["names_mentioned"] if name_key(n)],
        codes=list(dict.fromkeys([*clean["indicator_codes"], *(found.indicator_codes if found else [])])),
    )


class _Situations:
    """Groups tips with earlier signals that share a phone, e-mail, handle or URL — the latest such signal's
    situation, as if the tips were recorded one by one — with one read for the whole batch. Grouping stays
    internal. It also counts, per situation, the earlier contacts a receiving agency already holds."""

    def __init__(self, tips: list[_Tip]):
        wanted = {index for tip in tips for _, index in tip.indexes}
        # index -> ((received_at, 0 = stored / 1 = this batch, pk or position), situation)
        self.latest: dict[str, tuple[tuple, Situation | int]] = {}
        for index, received_at, signal_id, situation_id in SignalSelector.objects.filter(
                value_index__in=wanted).exclude(kind="name").values_list(
                "value_index", "signal__received_at", "signal_id", "signal__situation_id"):
            order = (received_at, 0, signal_id)
            if index not in self.latest or order > self.latest[index][0]:
                self.latest[index] = (order, situation_id)
        stored = {situation for _, situation in self.latest.values()}
        by_id = Situation.objects.in_bulk(stored)
        self.latest = {index: (order, by_id[situation]) for index, (order, situation) in self.latest.items()}
        self.holders: dict[int, list[tuple[int | None, int | None]]] = {pk: [] for pk in by_id}
        for situation_id, owner_id, routed_id in Signal.objects.filter(situation_id__in=list(by_id)).values_list(
                "situation_id", "owner_agency_id", "routed_agency_id"):
            self.holders[situation_id].append((owner_id, routed_id))
        self.new: list[Situation] = []

    def situation_for(self, tip: _Tip, position: int) -> Situation:
        earlier = [self.latest[index] for _, index in tip.indexes if index in self.latest]
        if earlier:
            situation = max(earlier, key=lambda found: found[0])[1]
        else:
            situation = Situation()
            self.new.append(situation)
            self.holders[id(situation)] = []
        for _, index in tip.indexes:
            self.latest[index] = ((tip.clean["received_at"], 1, position), situation)
        return situation

    def earlier_known_to(self, agency: Agency, situation: Situation) -> int:
        """Earlier contacts of the situation that the receiving agency already holds: a count of other
        agencies' reports would itself leak, so only its own and those routed to it are counted."""
        return sum(1 for owner, routed in self._holders(situation) if agency.pk in (owner, routed))

    def add(self, situation: Situation, owner: Agency, routed: Agency | None) -> None:
        self._holders(situation).append((owner.pk, routed.pk if routed else None))

    def _holders(self, situation: Situation) -> list:
        return self.holders[situation.pk if situation.pk is not None else id(situation)]


def _save_signals(actor: User, cleans: list[dict], owner: Agency | None, purpose: str) -> list[Signal]:
    """Records validated tips in order: extracted, grouped, routed, triaged, with their selectors, routing
    assignment and share, and one audit entry each. Reads and writes go to the database once per batch
    (bulk inserts), not once per tip; the caller holds the transaction."""
    tips = [_extracted(clean) for clean in cleans]
    table, situations = RoutingTable(), _Situations(tips)
    planned = []
    for position, tip in enumerate(tips):
        clean = tip.clean
        situation = situations.situation_for(tip, position)
        routed = route(clean["country"], clean["region"], clean["exploitation_type"], clean["venue_type"], table)
        receiver = owner or routed.agency or _first_member_in(routed.task_force, clean["country"])
        result = triage(TriageFacts(
            minor_involved=clean["minors_involved"], immediate_danger=clean["immediate_danger"],
            ongoing_exploitation=clean["ongoing_exploitation"],
            location_known=bool(clean["location"]) or None,
            caller_is_victim=clean["caller_type"] == "Victim" or None,
            indicator_codes=tuple(tip.codes), repeated_signals=situations.earlier_known_to(receiver, situation),
        ))
        situations.add(situation, receiver, routed.agency)
        planned.append((tip, situation, routed, Signal(
            owner_agency=receiver, created_by=actor if actor.is_active else None, situation=situation,
            channel=clean["channel"], caller_type=clean["caller_type"], received_at=clean["received_at"],
            language=tip.language, text=clean["text"],
            reporter_contact=clean["reporter_contact"], names_mentioned=[n for n, _ in tip.names],
            country=clean["country"], region=clean["region"],
            location=clean["location"], venue_type=clean["venue_type"], exploitation_type=clean["exploitation_type"],
            minors_involved=clean["minors_involved"], immediate_danger=clean["immediate_danger"],
            ongoing_exploitation=clean["ongoing_exploitation"], interpreter_needed=clean["interpreter_needed"],
            interpreter_language=clean["interpreter_language"], indicator_codes=clean["indicator_codes"],
            extracted={"selectors": tip.selectors, "indicators": tip.indicators},
            triage_level=result.level, urgency_rank=LEVELS.index(result.level), triage_score=result.score,
            triage_reasons=result.reasons, routed_agency=routed.agency, routed_task_force=routed.task_force,
            routing_reason=routed.reason,
            sla_due_at=clean["received_at"] + timedelta(hours=IV.sla_hours()[result.level]),
        )))
    Situation.objects.bulk_create(situations.new)
    for _, situation, _, signal in planned:
        signal.situation = situation  # now with its primary key
    signals = Signal.objects.bulk_create([signal for *_, signal in planned])
    by = actor if actor.is_active else None
    SignalSelector.objects.bulk_create(
        [SignalSelector(signal=signal, kind=kind, value_index=index) for tip, _, _, signal in planned
         for kind, index in tip.indexes]
        + [SignalSelector(signal=signal, kind="name", value_index=index) for tip, _, _, signal in planned
           for _, index in tip.names])
    Assignment.objects.bulk_create([Assignment(signal=signal, to_agency=routed.agency,
                                               to_task_force=routed.task_force, kind="routed",
                                               reason=routed.reason, by=by) for _, _, routed, signal in planned])
    Share.objects.bulk_create([
        Share(content_type=content_object_type(signal), object_id=signal.pk, to_agency=routed.agency,
              to_task_force=routed.task_force, purpose=f"routed for action: {routed.reason}", created_by=actor)
        for _, _, routed, signal in planned
        if routed.agency is None or routed.agency.pk != signal.owner_agency_id])
    audit.record_many(actor, "record_signal", [(signal, {
        "channel": signal.channel, "level": signal.triage_level, "score": signal.triage_score,
        "queue": str(signal.queue), "selectors": len(tip.selectors), "situation": situation.pk,
    }) for tip, situation, _, signal in planned], purpose=purpose)
    return signals


def _save_signal(actor: User, clean: dict, owner: Agency | None, purpose: str) -> Signal:
    return _save_signals(actor, [clean], owner, purpose)[0]


def _first_member_in(task_force: TaskForce | None, country: str) -> Agency:
    members = task_force.agencies.order_by("pk") if task_force else Agency.objects.none()
    return members.filter(country=country).first() or members.first()


def record_signal(actor: User, data: dict) -> Signal:
    """An operator records a contact for their agency: extracted, triaged with reasons, grouped and routed."""
    require_role(actor, INTAKE_ROLES, "record signals")
    clean = validate_signal(data)
    with transaction.atomic():
        return _save_signal(actor, clean, actor.agency, "hotline intake")


# --- queue work ---------------------------------------------------------------------------------

def _require_queue_manager(actor: User, signal: Signal) -> None:
    require_role(actor, QUEUE_MANAGING_ROLES, "reassign signals")
    holders = {signal.owner_agency_id, signal.routed_agency_id, signal.escalated_to_id}
    in_task_force = signal.routed_task_force_id and actor.agency.task_forces.filter(
        pk=signal.routed_task_force_id).exists()
    if actor.agency_id not in holders and not in_task_force:
        raise NotPermitted("only a supervisor of the agency holding the signal can reassign it")


def reassign(actor: User, signal: Signal, *, to_agency: Agency | None = None, to_task_force: TaskForce | None = None,
             reason: str) -> Signal:
    """Moves a signal to another queue; the old queue's routing share ends, the history keeps both."""
    _require_queue_manager(actor, signal)
    errors = ErrorCollector()
    if (to_agency is None) == (to_task_force is None):
        errors.add("queue", "choose exactly one agency or task force")
    elif (to_agency and to_agency.pk == signal.routed_agency_id) or (
            to_task_force and to_task_force.pk == signal.routed_task_force_id):
        errors.add("queue", "the signal is already in this queue")
    if len((reason or "").strip()) < 5:
        errors.add("reason", "say why the signal moves")
    errors.raise_if_any()
    with transaction.atomic():
        Assignment.objects.create(signal=signal, from_agency=signal.routed_agency,
                                  from_task_force=signal.routed_task_force, to_agency=to_agency,
                                  to_task_force=to_task_force, kind="reassigned", reason=reason.strip(), by=actor)
        _revoke_queue_share(actor, signal, signal.routed_agency, signal.routed_task_force)
        _share_with_queue(actor, signal, to_agency, to_task_force, f"reassigned: {reason.strip()}")
        before = str(signal.queue)
        signal.routed_agency, signal.routed_task_force = to_agency, to_task_force
        signal.routing_reason = f"Reassigned by {actor.username}: {reason.strip()}"
        signal.save(update_fields=["routed_agency", "routed_task_force", "routing_reason", "updated_at"])
        audit.record(actor, "reassign_signal", signal, purpose=reason.strip(),
                     details={"from": before, "to": str(signal.queue)})
    return signal


def set_status(actor: User, signal: Signal, status: str) -> Signal:
    require_role(actor, INTAKE_ROLES, "work on signals")
    if status not in IV.codes(IV.STATUSES):
        raise FieldErrors({"status": [f"unknown status {status!r}"]})
    with transaction.atomic():
        before, signal.status = signal.status, status
        signal.save(update_fields=["status", "updated_at"])
        audit.record(actor, "signal_status", signal, details={"from": before, "to": status})
    return signal


def escalate_overdue(now: datetime | None = None, progress=None) -> list[Signal]:
    """Signals still new after their SLA go to the national coordinator of their country, once each,
    each in its own transaction. Running it again (or after a crash) escalates nothing twice.
    `progress(done, total)` is told after each signal."""
    now = now or timezone.now()
    actor = system_user()
    escalated = []
    overdue = list(Signal.objects.filter(status="new", escalated_at__isnull=True, sla_due_at__lt=now).order_by("pk"))
    for number, signal in enumerate(overdue, start=1):
        if progress:
            progress(number - 1, len(overdue))
        with transaction.atomic():
            locked = Signal.objects.select_for_update().get(pk=signal.pk)
            if locked.escalated_at is not None:
                continue
            coordinator = national_coordinator(locked.country)
            reason = (f"SLA breached: still new {_overdue_by(now - locked.sla_due_at)} after the "
                      f"{IV.sla_hours()[locked.triage_level]} h allowed for a {locked.triage_level} signal.")
            locked.escalated_at = now
            locked.escalated_to = coordinator
            locked.save(update_fields=["escalated_at", "escalated_to", "updated_at"])
            Assignment.objects.create(signal=locked, from_agency=locked.routed_agency,
                                      from_task_force=locked.routed_task_force, to_agency=coordinator,
                                      kind="escalated", reason=reason, by=None)
            if coordinator is not None and coordinator.pk != locked.routed_agency_id:
                _share_with_queue(actor, locked, coordinator, None, f"escalated: {reason}")
            audit.record(actor, "escalate_signal", locked, purpose=reason,
                         details={"to": str(coordinator) if coordinator else ""})
            escalated.append(locked)
    return escalated


def _overdue_by(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


# --- routing rules (supervisors) ----------------------------------------------------------------

def create_routing_rule(actor: User, data: dict) -> RoutingRule:
    require_role(actor, QUEUE_MANAGING_ROLES, "edit routing rules")
    errors = ErrorCollector()
    country = (data.get("country") or "").strip().upper()
    if not vocab.is_country(country):
        errors.add("country", "an ISO 3166 country code is required")
    elif country != actor.agency.country:
        errors.add("country", "you can only route signals of your own agency's country")
    exploitation_type = data.get("exploitation_type") or ""
    if exploitation_type and exploitation_type not in IV.codes(IV.EXPLOITATION_TYPES):
        errors.add("exploitation_type", f"unknown code {exploitation_type!r}")
    venue_type = data.get("venue_type") or ""
    if venue_type and venue_type not in IV.codes(IV.VENUE_TYPES):
        errors.add("venue_type", f"unknown code {venue_type!r}")
    agency, task_force = data.get("target_agency"), data.get("target_task_force")
    if (agency is None) == (task_force is None):
        errors.add("target", "choose exactly one agency or task force")
    errors.raise_if_any()
    with transaction.atomic():
        rule = RoutingRule.objects.create(country=country, region=(data.get("region") or "").strip(),
                                          exploitation_type=exploitation_type, venue_type=venue_type,
                                          target_agency=agency, target_task_force=task_force,
                                          note=(data.get("note") or "").strip()[:300], created_by=actor)
        audit.record(actor, "create_routing_rule", rule, details={"rule": rule.describe(), "to": str(rule.target)})
    return rule


def deactivate_routing_rule(actor: User, rule: RoutingRule) -> RoutingRule:
    require_role(actor, QUEUE_MANAGING_ROLES, "edit routing rules")
    with transaction.atomic():
        rule.active = False
        rule.save(update_fields=["active"])
        audit.record(actor, "deactivate_routing_rule", rule, details={"rule": rule.describe()})
    return rule


# --- public reports -----------------------------------------------------------------------------

class RateLimited(Exception):
    """Too many attempts from one address in the last hour."""


def _address_index(address: str) -> str:
    return blind_index("public_address", address or "unknown")


def check_rate_limit(address: str, kind: str) -> None:
    """Counts this attempt; raises RateLimited beyond the hourly limit for the address."""
    index = _address_index(address)
    since = timezone.now() - timedelta(hours=1)
    PublicAttempt.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()
    if PublicAttempt.objects.filter(address_index=index, kind=kind, at__gte=since).count() >= PUBLIC_LIMITS[kind]:
        raise RateLimited(kind)
    PublicAttempt.objects.create(address_index=index, kind=kind)


def _new_code() -> str:
    alphabet = "ACDEFGHJKLMNPQRTUVWXY34679"  # no look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B)
    while True:
        code = "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))
        if not ReportReceipt.objects.filter(code=code).exists():
            return code


def _new_passphrase() -> str:
    words = ["amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbor", "iris", "jade", "kestrel",
             "lagoon", "maple", "nectar", "orbit", "pebble", "quartz", "river", "sierra", "tundra", "umber",
             "violet", "willow", "yarrow", "zephyr", "comet", "falcon", "meadow", "lantern", "summit"]
    return "-".join(secrets.choice(words) for _ in range(4)) + f"-{secrets.randbelow(100):02d}"


def submit_public_report(data: dict) -> tuple[Signal, str, str]:
    """An anonymous web report. Returns the signal, the follow-up code and the passphrase (shown once;
    only its hash is kept)."""
    clean = validate_signal({**data, "channel": "WebForm", "caller_type": data.get("caller_type") or "Anonymous",
                             "indicator_codes": [], "interpreter_needed": False})
    code, passphrase = _new_code(), _new_passphrase()
    with transaction.atomic():
        signal = _save_signal(system_user(), clean, None, "public report")
        ReportReceipt.objects.create(signal=signal, code=code, passphrase_hash=make_password(passphrase))
    return signal, code, passphrase


def find_report(code: str, passphrase: str) -> Signal | None:
    """The signal behind a follow-up code, only with the right passphrase."""
    receipt = ReportReceipt.objects.select_related("signal").filter(code=(code or "").strip().upper()).first()
    if receipt is None:
        make_password(passphrase or "")  # same work either way: the timing does not tell which part was wrong
        return None
    return receipt.signal if check_password((passphrase or "").strip(), receipt.passphrase_hash) else None


def add_reporter_information(signal: Signal, text: str) -> SignalNote:
    """The reporter adds to their report; new phones or e-mails join the signal's selectors."""
    text = (text or "").strip()
    if not text:
        raise FieldErrors({"text": ["write what you want to add"]})
    if len(text) > MAX_TEXT:
        raise FieldErrors({"text": [f"at most {MAX_TEXT} characters"]})
    found = extract(text, signal.country)
    with transaction.atomic():
        note = SignalNote.objects.create(signal=signal, text=text, from_reporter=True)
        known = set(signal.selector_indexes.values_list("value_index", flat=True))
        for selector in found.selectors:
            index = blind_index(selector.type, selector.value)
            if index not in known:
                known.add(index)
                SignalSelector.objects.create(signal=signal, kind=selector.type, value_index=index)
        audit.record(system_user(), "reporter_follow_up", signal, details={"note_id": note.pk,
                                                                            "selectors": len(found.selectors)})
    return note


# --- channel API --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChannelResult:
    key: str
    signal: Signal
    created: bool


class KeyConflict(Exception):
    """A client key was reused for different content."""


def content_hash(item: dict) -> str:
    return hashlib.sha256(json.dumps(item, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def submit_channel_batch(actor: User, items: list[dict]) -> list[ChannelResult]:
    """All or nothing: every tip is validated first (errors by index and field); a known key with the same
    content returns its signal, a known key with other content is a conflict; the rest are recorded."""
    require_role(actor, INTAKE_ROLES, "submit signals")
    errors: dict[str, list[str]] = {}
    seen: dict[str, str] = {}
    prepared = []
    for position, item in enumerate(items):
        key = (item.get("key") or "").strip()
        payload = {k: v for k, v in item.items() if k != "key"}
        if not key:
            errors.setdefault(f"{position}.key", []).append("a client key is required (idempotency)")
        elif key in seen and seen[key] != content_hash(payload):
            errors.setdefault(f"{position}.key", []).append("used twice in this batch with different content")
        seen[key] = content_hash(payload)
        try:
            clean = validate_signal({"channel": "ChannelAPI", **payload})
        except FieldErrors as exc:
            for field, messages in exc.errors.items():
                errors.setdefault(f"{position}.{field}", []).extend(messages)
            continue
        prepared.append((key, content_hash(payload), clean))
    if errors:
        raise FieldErrors(errors)
    existing = {s.key: s for s in ChannelSubmission.objects.filter(
        agency_id=actor.agency_id, key__in=[k for k, _, _ in prepared]).select_related("signal")}
    conflicts = [key for key, digest, _ in prepared if key in existing and existing[key].content_hash != digest]
    if conflicts:
        raise KeyConflict(f"key(s) already used with different content: {', '.join(sorted(set(conflicts)))}")
    new = {key: (digest, clean) for key, digest, clean in prepared if key not in existing}
    with transaction.atomic():
        created = dict(zip(new, _save_signals(actor, [clean for _, clean in new.values()], actor.agency,
                                              "channel API"), strict=True))
        ChannelSubmission.objects.bulk_create([
            ChannelSubmission(agency_id=actor.agency_id, key=key, content_hash=new[key][0], signal=signal)
            for key, signal in created.items()])
    results, answered = [], set()
    for key, _, _ in prepared:
        if key in existing:
            results.append(ChannelResult(key, existing[key].signal, False))
        else:
            results.append(ChannelResult(key, created[key], key not in answered))
            answered.add(key)
    return results


def queue_filter(agency_id: int, task_force_ids) -> Q:
    """What belongs in an agency's queue: routed to it or to one of its task forces, or escalated to it."""
    return Q(routed_agency_id=agency_id) | Q(routed_task_force_id__in=task_force_ids) | Q(escalated_to_id=agency_id)
