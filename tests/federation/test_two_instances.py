"""Delivery between two real instances: separate databases, a server process on a loopback port."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from palermo.audit.models import AuditEntry
from palermo.federation import outbox, services
from palermo.federation.models import OutboxMessage
from palermo.federation.registry import PING_TYPE

from .instances import RemoteInstance

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def italy_template(tmp_path_factory):
    """Italy's instance migrated and initialised once; each test works on a copy of its database."""
    remote = RemoteInstance(tmp_path_factory.mktemp("italy-template"), "it.palermo.test", "IT").set_up()
    return remote, remote.card()


@pytest.fixture
def italy(tmp_path, initialised, italy_template):
    template, card = italy_template
    remote = template.copy_to(tmp_path / "italy")
    remote.add_partner(services.card())
    partner = services.add_partner(initialised, card, trust_level="operational", message_types=[PING_TYPE],
                                   confirmed_fingerprint=card["fingerprint"])
    remote.start()
    yield remote, partner
    remote.stop()


def _received(remote, message_id):
    return remote.query("SELECT COUNT(*) FROM federation_receivedmessage WHERE message_id = ?", message_id)[0][0]


def _ping(actor, partner):
    with transaction.atomic():
        return outbox.send(actor, partner, PING_TYPE, {}, purpose="connection test")


def test_a_message_crosses_once_with_a_signed_receipt_even_when_sent_again(italy, initialised):
    remote, partner = italy
    message = _ping(initialised, partner)
    assert outbox.deliver_due() == {"delivered": 1}
    message.refresh_from_db()
    assert message.status == OutboxMessage.DELIVERED and message.receipt and message.attempts == 1
    assert _received(remote, message.message_id) == 1
    assert remote.query("SELECT COUNT(*) FROM audit_auditentry WHERE action = 'federation_receive' "
                        "AND details LIKE ?", f"%{message.message_id}%")[0][0] == 1
    assert AuditEntry.objects.filter(action="federation_send", details__message_id=message.message_id).count() == 1
    assert AuditEntry.objects.filter(action="federation_delivered").count() == 1

    # The receipt was lost on the way: the same message goes again and is not applied twice.
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.PENDING, next_attempt_at=timezone.now())
    assert outbox.deliver_due() == {"delivered": 1}
    assert _received(remote, message.message_id) == 1
    assert AuditEntry.objects.filter(action="federation_delivered").last().details["outcome"] == "duplicate"


def test_nothing_leaves_when_the_causing_transaction_rolls_back(italy, initialised):
    _, partner = italy
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.send(initialised, partner, PING_TYPE, {}, purpose="connection test")
        raise RuntimeError("the change that caused the message failed")
    assert not OutboxMessage.objects.exists()


def test_a_receiver_that_is_down_gets_the_message_once_when_it_is_back(italy, initialised):
    remote, partner = italy
    remote.stop()
    message = _ping(initialised, partner)
    assert outbox.deliver_due() == {"retry": 1}
    message.refresh_from_db()
    assert message.status == OutboxMessage.PENDING and "could not be reached" in message.last_error
    first_wait = message.next_attempt_at - timezone.now()
    assert timedelta(seconds=15) < first_wait <= timedelta(seconds=40)
    assert outbox.deliver_due() == {}  # not due yet: backoff is respected

    later = message.next_attempt_at + timedelta(seconds=1)
    assert outbox.deliver_due(now=later) == {"retry": 1}
    message.refresh_from_db()
    assert message.next_attempt_at - later > first_wait * 0.9  # the wait grows

    remote.start()
    assert outbox.deliver_due(now=message.next_attempt_at + timedelta(seconds=1)) == {"delivered": 1}
    assert _received(remote, message.message_id) == 1


def test_an_unanswered_message_is_dead_lettered_at_expiry_and_retried_by_an_administrator(italy, initialised):
    remote, partner = italy
    remote.manage("federation", "partner", "suspend", "ro.palermo.test", "--user", "platform.admin",
                  "--reason", "agreement under review")
    message = _ping(initialised, partner)
    assert outbox.deliver_due() == {"retry": 1}
    message.refresh_from_db()
    assert "403" in message.last_error and _received(remote, message.message_id) == 0

    assert outbox.deliver_due(now=message.expires + timedelta(seconds=1)) == {}
    message.refresh_from_db()
    assert message.status == OutboxMessage.DEAD

    remote.manage("federation", "partner", "resume", "ro.palermo.test", "--user", "platform.admin",
                  "--reason", "agreement renewed")
    outbox.retry_dead(initialised, message, reason="partner resumed exchanges")
    assert outbox.deliver_due() == {"delivered": 1}
    assert _received(remote, message.message_id) == 1
    assert AuditEntry.objects.get(action="federation_retry").purpose == "partner resumed exchanges"
