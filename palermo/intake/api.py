"""API endpoints of the intake app (mounted at /api/intake/): the channel API for SMS and e-mail
gateways and partner agencies, idempotent with client-supplied keys."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema
from ninja.errors import HttpError

from palermo.core.rules import FieldErrors
from palermo.intake import services

router = Router(tags=["intake"])

MAX_BATCH = 500


class TipIn(Schema):
    key: str = Field(..., max_length=200, description="Client-supplied idempotency key, unique per agency")
    text: str = ""
    channel: str = "ChannelAPI"
    caller_type: str = "Anonymous"
    country: str
    region: str = ""
    location: str = ""
    venue_type: str = ""
    exploitation_type: str = ""
    minors_involved: bool | None = None
    immediate_danger: bool | None = None
    ongoing_exploitation: bool | None = None
    interpreter_needed: bool = False
    interpreter_language: str = ""
    indicator_codes: list[str] = []
    reporter_contact: str = ""
    names_mentioned: list[str] = []
    received_at: datetime | None = None


class SignalOut(Schema):
    key: str
    created: bool
    signal_id: int
    reference: str
    triage_level: str
    triage_score: int
    triage_reasons: list[str]
    queue: str
    sla_due_at: datetime
    situation: str
    language: str


@router.post("/signals", response=list[SignalOut])
def submit_signals(request, payload: list[TipIn]):
    """Records a batch of tips, all or nothing. The same key again returns the same signal (created: false);
    the same key with different content is refused with 409."""
    if not payload:
        raise FieldErrors({"0": ["send at least one tip"]})
    if len(payload) > MAX_BATCH:
        raise FieldErrors({str(MAX_BATCH): [f"at most {MAX_BATCH} tips per request"]})
    items = [tip.dict(exclude_none=True) for tip in payload]
    try:
        results = services.submit_channel_batch(request.user, items)
    except services.KeyConflict as exc:
        raise HttpError(409, str(exc)) from exc
    return [{"key": r.key, "created": r.created, "signal_id": r.signal.pk, "reference": r.signal.reference,
                  "triage_level": r.signal.triage_level, "triage_score": r.signal.triage_score,
                  "triage_reasons": r.signal.triage_reasons, "queue": str(r.signal.queue),
                  "sla_due_at": r.signal.sla_due_at, "situation": r.signal.situation.reference,
                  "language": r.signal.language} for r in results]
