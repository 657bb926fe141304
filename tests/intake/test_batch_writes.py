"""The channel API records a batch with bulk writes: the same grouping, routing, triage and audit as tips
recorded one by one, a fixed number of statements per batch plus the audit entry of each tip, and a valid
audit chain."""

import json

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from palermo.accounts.models import ApiToken
from palermo.audit.models import AuditEntry
from palermo.audit.selectors import verify
from palermo.intake import services
from palermo.intake.models import Assignment, Signal, SignalSelector
from tests.intake.conftest import KNOWN_PHONE

pytestmark = pytest.mark.django_db

URL = "/api/intake/signals"
# Everything, the tips' audit entries included, is read or written once per batch.


def batch(prefix: str) -> list[dict]:
    """Tips that group with each other and with a stored signal, across two countries and queues."""
    return [
        {"key": f"{prefix}-1", "text": "Sunt închisă, sunați 0722 111 222", "country": "RO", "channel": "SMS",
         "exploitation_type": "SexualExploitation", "immediate_danger": True},
        {"key": f"{prefix}-2", "text": "Again the same number 0722 111 222, girls kept in a flat", "country": "RO",
         "channel": "SMS"},
        {"key": f"{prefix}-3", "text": f"Known number {KNOWN_PHONE} and 0722 111 222", "country": "RO",
         "channel": "Email", "exploitation_type": "SexualExploitation"},
        {"key": f"{prefix}-4", "text": "Workers near Foggia without passports, call 0881 123456", "country": "IT",
         "region": "Apulia", "exploitation_type": "ForcedLabour", "channel": "Email"},
        {"key": f"{prefix}-5", "text": "Lombardy warehouse, call 0881 123456", "country": "IT",
         "region": "Lombardy", "channel": "SMS"},
        {"key": f"{prefix}-6", "text": "Nothing to link here", "country": "RO", "channel": "SMS"},
    ]


def _shape(signals: list[Signal]) -> list[tuple]:
    """What must not depend on how the tips were recorded: grouping (as first-seen order), queue, triage."""
    order: dict[int, int] = {}
    return [(order.setdefault(s.situation_id, len(order)), str(s.queue), s.owner_agency_id, s.triage_level,
             s.triage_score, tuple(s.triage_reasons), len(s.selector_indexes.all()), s.routing_reason)
            for s in signals]


def _gateway(world):
    raw = ApiToken.issue(world.users["ngo_operator"], "sms gateway")[1]
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    return lambda body: client.post(URL, json.dumps(body), content_type="application/json")


class _Undo(Exception):
    """Rolls the one-by-one recording back, so the batch meets the same database."""


def test_a_batch_groups_routes_and_triages_like_tips_recorded_one_by_one(world):
    operator = world.users["ngo_operator"]
    earlier = services.record_signal(operator, {"text": "earlier report about 0722 111 222", "country": "RO",
                                                "channel": "SMS"})
    with pytest.raises(_Undo), transaction.atomic():
        one_by_one = [services.record_signal(operator, {k: v for k, v in tip.items() if k != "key"})
                      for tip in batch("single")]
        expected = _shape([earlier, *one_by_one])
        raise _Undo
    response = _gateway(world)(batch("bulk"))
    assert response.status_code == 200, response.content
    bulk = [Signal.objects.get(pk=r["signal_id"]) for r in response.json()]
    assert _shape([earlier, *bulk]) == expected
    assert bulk[0].situation_id == bulk[1].situation_id == bulk[2].situation_id == earlier.situation_id
    assert bulk[3].situation_id == bulk[4].situation_id != bulk[5].situation_id
    assert Assignment.objects.filter(signal__in=bulk).count() == len(bulk)
    assert SignalSelector.objects.filter(signal__in=bulk).count() == sum(len(s.selectors) for s in bulk)
    audited = AuditEntry.objects.filter(action="record_signal", object_id__in=[str(s.pk) for s in bulk])
    assert sorted(int(e.object_id) for e in audited) == sorted(s.pk for s in bulk)
    assert verify().ok


def test_statements_per_batch_do_not_grow_with_the_batch(world):
    """Every tip still gets its own chained audit entry, written with the others under one lock of the head."""
    post = _gateway(world)
    post(batch("warm"))
    small, large = batch("small"), batch("large-a") + batch("large-b") + batch("large-c")
    counts = []
    for tips in (small, large):
        with CaptureQueriesContext(connection) as captured:
            assert post(tips).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[1] == counts[0], counts
    assert AuditEntry.objects.filter(action="record_signal").count() >= len(small) + len(large)
    assert verify().ok


def test_a_key_repeated_inside_one_batch_records_one_signal(world):
    tips = batch("dup")
    response = _gateway(world)([tips[0], tips[1], tips[0]])
    first, second, again = response.json()
    assert first["created"] and second["created"] and not again["created"]
    assert again["signal_id"] == first["signal_id"]
    assert Signal.objects.filter(pk__in=[first["signal_id"], second["signal_id"]]).count() == 2
