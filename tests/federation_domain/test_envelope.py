"""Sealing and opening messages between instances: every reason a message is refused."""

from datetime import UTC, datetime, timedelta

import pytest
from joserfc.jwk import OKPKey

from palermo.federation.envelope import Envelope, Rejection, open_sealed, rejection_for, seal

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


class Instance:
    def __init__(self, name: str):
        self.name = name
        self.signing = OKPKey.generate_key("Ed25519")
        self.encryption = OKPKey.generate_key("X25519")
        self.sig_kid, self.enc_kid = f"{name}-sig-1", f"{name}-enc-1"


@pytest.fixture
def rome():
    return Instance("it.palermo.test")


@pytest.fixture
def bucharest():
    return Instance("ro.palermo.test")


def _message(sender, recipient, **overrides):
    fields = dict(type="trm.request_for_assistance", sender=sender.name, recipient=recipient.name,
                  purpose="referral of a presumed victim", body={"pseudonym": "P-7QX"},
                  handling_code="P3", use_restrictions=["no-onward-dissemination"], now=NOW)
    fields.update(overrides)
    return Envelope.new(**fields)


def _seal(envelope, sender, recipient):
    return seal(envelope, signing_key=sender.signing, signing_kid=sender.sig_kid,
                recipient_key=recipient.encryption, recipient_kid=recipient.enc_kid)


def _open(token, recipient, partners, *, seen=(), now=NOW):
    def sender_keys(name):
        if name not in partners:
            raise Rejection("unknown_sender", f"{name!r} is not a partner")
        partner = partners[name]
        return {partner.sig_kid: OKPKey.import_key(partner.signing.as_dict(private=False))}

    return open_sealed(token, own_instance=recipient.name, decryption_keys={recipient.enc_kid: recipient.encryption},
                       sender_keys=sender_keys, seen_before=lambda sender, message_id: message_id in seen, now=now)


def test_a_sealed_message_opens_with_every_field_intact(rome, bucharest):
    sent = _message(rome, bucharest, conversation="conv-1")
    received = _open(_seal(sent, rome, bucharest), bucharest, {rome.name: rome})
    assert received == sent
    assert received.use_restrictions == ["no-onward-dissemination"]
    assert received.conversation == "conv-1"


def test_the_content_is_not_readable_in_transit(rome, bucharest):
    token = _seal(_message(rome, bucharest, body={"pseudonym": "P-SECRET-77"}), rome, bucharest)
    assert "P-SECRET-77" not in token and rome.name not in token


def test_a_tampered_token_is_refused(rome, bucharest):
    token = _seal(_message(rome, bucharest), rome, bucharest)
    head, key, iv, ciphertext, tag = token.split(".")
    flipped = ciphertext[:10] + ("A" if ciphertext[10] != "A" else "B") + ciphertext[11:]
    with pytest.raises(Rejection) as refused:
        _open(".".join([head, key, iv, flipped, tag]), bucharest, {rome.name: rome})
    assert refused.value.code == "undecryptable"


def test_a_message_signed_by_someone_else_is_refused(rome, bucharest):
    impostor = Instance(rome.name)
    impostor.sig_kid = rome.sig_kid
    token = _seal(_message(rome, bucharest), impostor, bucharest)
    with pytest.raises(Rejection) as refused:
        _open(token, bucharest, {rome.name: rome})
    assert refused.value.code == "bad_signature"
    assert refused.value.sender == rome.name


def test_unknown_sender_and_unknown_key_are_refused(rome, bucharest):
    token = _seal(_message(rome, bucharest), rome, bucharest)
    with pytest.raises(Rejection) as refused:
        _open(token, bucharest, {})
    assert refused.value.code == "unknown_sender"
    rome.sig_kid = "rotated-away"
    with pytest.raises(Rejection) as refused:
        _open(_seal(_message(rome, bucharest), rome, bucharest), bucharest, {rome.name: Instance(rome.name)})
    assert refused.value.code == "unknown_key"


def test_a_message_for_another_instance_is_refused(rome, bucharest):
    chisinau = Instance("md.palermo.test")
    misaddressed = _message(rome, chisinau)
    token = seal(misaddressed, signing_key=rome.signing, signing_kid=rome.sig_kid,
                 recipient_key=bucharest.encryption, recipient_kid=bucharest.enc_kid)
    with pytest.raises(Rejection) as refused:
        _open(token, bucharest, {rome.name: rome})
    assert refused.value.code == "wrong_recipient"
    with pytest.raises(Rejection) as refused:
        _open(_seal(_message(rome, chisinau), rome, chisinau), bucharest, {rome.name: rome})
    assert refused.value.code == "not_for_us"


def test_expired_replayed_and_future_messages_are_refused(rome, bucharest):
    sent = _message(rome, bucharest, lifetime=timedelta(hours=1))
    token = _seal(sent, rome, bucharest)
    with pytest.raises(Rejection) as refused:
        _open(token, bucharest, {rome.name: rome}, now=NOW + timedelta(hours=2))
    assert refused.value.code == "expired"
    with pytest.raises(Rejection) as refused:
        _open(token, bucharest, {rome.name: rome}, seen={sent.id})
    assert refused.value.code == "replay"
    from_the_future = _seal(_message(rome, bucharest, now=NOW + timedelta(minutes=20)), rome, bucharest)
    with pytest.raises(Rejection) as refused:
        _open(from_the_future, bucharest, {rome.name: rome})
    assert refused.value.code == "clock_skew"
    slightly_ahead = _seal(_message(rome, bucharest, now=NOW + timedelta(minutes=2)), rome, bucharest)
    assert _open(slightly_ahead, bucharest, {rome.name: rome}).sender == rome.name


def test_garbage_is_refused_as_malformed(bucharest):
    for token in ("", "not-a-token", "a.b.c.d.e", "é.é.é.é.é"):
        with pytest.raises(Rejection) as refused:
            _open(token, bucharest, {})
        assert refused.value.code in {"malformed", "not_for_us"}


def test_a_rejection_is_itself_a_sealed_answer_to_the_sender(rome, bucharest):
    token = _seal(_message(rome, bucharest, lifetime=timedelta(minutes=1)), rome, bucharest)
    with pytest.raises(Rejection) as refused:
        _open(token, bucharest, {rome.name: rome}, now=NOW + timedelta(minutes=5))
    answer = rejection_for(refused.value, own_instance=bucharest.name, now=NOW + timedelta(minutes=5))
    back = _open(_seal(answer, bucharest, rome), rome, {bucharest.name: bucharest}, now=NOW + timedelta(minutes=5))
    assert back.type == "federation.rejection"
    assert back.body["code"] == "expired" and back.body["rejected_id"] == refused.value.message_id
    assert back.conversation == refused.value.message_id
