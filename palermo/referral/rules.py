"""Rules of the Transnational Referral Mechanism (DCAF/ICMPD TRM, seed 003 chapter 12), in plain Python.

The five SOP areas, the seven fields of the referral packet, consent per field and step, the
safeguards before contact with the country of origin, family tracing and return, SOP adherence and
stale directory entries. The services call these; the same rules serve the pages and the API.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

SOP_AREAS = {
    "identification": "Identification",
    "first_assistance": "First assistance and protection",
    "long_term_assistance": "Long-term assistance and social inclusion",
    "return_or_stay": "Return and social inclusion, or legal stay / resettlement",
    "proceedings": "Criminal and civil proceedings",
}

# The referral packet (seed 003 ch. 12, "information provided by the referring organisation").
PACKET_FIELDS = {
    "name": "Name",
    "birth_and_residence": "Date of birth and residence in the country of origin",
    "medical": "Medical condition and vulnerabilities",
    "security_risk": "Security and risk assessment",
    "assistance_needs": "Assistance needs",
    "travel": "Departure and arrival: date, time and place",
    "other": "Other information",
}
IDENTITY_FIELDS = frozenset({"name", "birth_and_residence"})

# Steps the person consents to one by one (consent "at every step of the referral process").
ASSISTANCE_REQUEST, REINTEGRATION_REQUEST = "assistance_request", "reintegration_request"
ORIGIN_CONTACT, FAMILY_TRACING = "origin_contact", "family_tracing"
STEPS = {
    ASSISTANCE_REQUEST: "Request for assistance to another country",
    REINTEGRATION_REQUEST: "Request for (re)integration support",
    ORIGIN_CONTACT: "Contact with the authorities or consulate of the country of origin",
    FAMILY_TRACING: "Family tracing",
}
PACKET_STEPS = (ASSISTANCE_REQUEST, REINTEGRATION_REQUEST)

# Statuses of a transnational referral: the receiving country decides eligibility.
SENT, CONFIRMED, REFUSED = "sent", "confirmed", "refused"
STATUSES = {SENT: "Awaiting the receiving country's decision", CONFIRMED: "Confirmed", REFUSED: "Refused"}
KIND_ANSWERS = {ASSISTANCE_REQUEST: {CONFIRMED, REFUSED}, REINTEGRATION_REQUEST: {CONFIRMED}}


@dataclass(frozen=True)
class StepConsent:
    """What the person agreed to for one step: which packet fields may leave, from when, until when."""

    step: str
    granted: bool
    fields: frozenset[str]
    recorded_at: datetime
    withdrawn_at: datetime | None = None

    def in_force(self, at: datetime) -> bool:
        return self.granted and self.recorded_at <= at and (self.withdrawn_at is None or self.withdrawn_at > at)


def consent_for(consents: Iterable[StepConsent], step: str, at: datetime) -> StepConsent | None:
    """The latest consent record of a step at `at` (a refusal recorded later replaces a consent)."""
    relevant = [c for c in consents if c.step == step and c.recorded_at <= at]
    return max(relevant, key=lambda c: c.recorded_at, default=None)


def packet_problems(packet: dict[str, str], consents: Iterable[StepConsent], step: str,
                    at: datetime) -> list[tuple[str, str]]:
    """Field-level reasons a packet may not leave: no consent to the step, or a field not consented to."""
    if step not in PACKET_STEPS:
        return [("kind", "choose a request for assistance or a request for (re)integration support")]
    unknown = [f for f in packet if f not in PACKET_FIELDS]
    problems = [(f, "not a field of the referral packet") for f in unknown]
    filled = [f for f, value in packet.items() if f in PACKET_FIELDS and str(value or "").strip()]
    if not filled:
        return problems + [("packet", "fill in at least one field the person consented to send")]
    latest = consent_for(consents, step, at)
    if latest is None or not latest.in_force(at):
        reason = ("no consent of the person to this step is recorded" if latest is None
                  else "the person refused this step" if not latest.granted
                  else "the person withdrew consent to this step")
        return problems + [("consent", f"{STEPS[step]}: {reason}; nothing was sent")]
    return problems + [(f, f"the person did not consent to send “{PACKET_FIELDS[f]}”; remove it or record "
                           "their consent first") for f in filled if f not in latest.fields]


@dataclass(frozen=True)
class RiskAssessment:
    completed_on: date | None
    return_safe: bool
    origin_contact_endangers: bool


def origin_contact_problems(consent: StepConsent | None, risk: RiskAssessment | None, at: datetime) -> list[str]:
    """No contact with the origin country's authorities or consulate without consent, nor where the
    security assessment says it would endanger the person (seed 003 ch. 12, TRM guidelines)."""
    problems = []
    if consent is None or not consent.in_force(at):
        problems.append("the person has not consented to contact with the authorities or consulate of their "
                        "country of origin")
    if risk is None or risk.completed_on is None:
        problems.append("complete the security and risk assessment first: it says whether contact would "
                        "endanger the person")
    elif risk.origin_contact_endangers:
        problems.append("the security and risk assessment found that contact would endanger the person")
    return problems


def family_tracing_problems(*, person_wishes: bool, asylum_seeker: bool, consent: StepConsent | None,
                            at: datetime, security_assessment_started: bool) -> list[str]:
    """Family tracing only if the person wishes it, never for a person seeking asylum, and alongside the
    security assessment (TRM measure 4: "simultaneously with the security assessments")."""
    problems = []
    if asylum_seeker:
        problems.append("family tracing never applies to a person seeking asylum")
    if not person_wishes:
        problems.append("family tracing happens only if the person wishes it")
    if consent is None or not consent.in_force(at):
        problems.append("the person has not consented to family tracing")
    if not security_assessment_started:
        problems.append("start the security and risk assessment: tracing runs alongside it")
    return problems


def return_risk_problems(risk: RiskAssessment | None) -> list[str]:
    """A return needs a completed security and risk assessment that found it safe."""
    if risk is None or risk.completed_on is None:
        return ["a return needs a completed security and risk assessment"]
    if not risk.return_safe:
        return ["the security and risk assessment found that return is not safe"]
    return []


def identity_notice_problem(informed_at: datetime | None, first_step_at: datetime) -> str | None:
    """The person is told beforehand what identity protection can and cannot guarantee (UN guideline 6.6)."""
    if informed_at is None or informed_at > first_step_at:
        return ("first tell the person what protection of their identity can and cannot guarantee, and record "
                "that they were told")
    return None


# --- SOP adherence ------------------------------------------------------------------------------------

DONE, DONE_LATE, LATE, DUE_SOON, PLANNED = "done", "done_late", "late", "due_soon", "planned"
ADHERENCE = {DONE: "Done on time", DONE_LATE: "Done late", LATE: "Late (not done, past due)",
             DUE_SOON: "Due within a week", PLANNED: "Planned"}
DUE_SOON_DAYS = 7


def adherence(due_on: date, done_on: date | None, today: date) -> str:
    if done_on is not None:
        return DONE if done_on <= due_on else DONE_LATE
    if due_on < today:
        return LATE
    return DUE_SOON if (due_on - today).days <= DUE_SOON_DAYS else PLANNED


def adherence_summary(rows: Iterable[tuple[date, date | None]], today: date) -> dict[str, int]:
    """Counts per adherence state, and the share of measures done on time among those due or done."""
    counts = dict.fromkeys(ADHERENCE, 0)
    for due_on, done_on in rows:
        counts[adherence(due_on, done_on, today)] += 1
    judged = counts[DONE] + counts[DONE_LATE] + counts[LATE]
    counts["on_time_percent"] = round(100 * counts[DONE] / judged) if judged else None
    return counts


def is_stale(last_verified: date | None, today: date, threshold_days: int) -> bool:
    return last_verified is None or (today - last_verified).days > threshold_days


@cache
def settings() -> dict:
    with (DATA / "trm.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def stale_after_days() -> int:
    return int(settings()["contact_stale_after_days"])


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
