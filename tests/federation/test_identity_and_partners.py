"""Federation identity, partner cards, partners and key rotation on a real database."""

import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from joserfc.jwk import OKPKey

from palermo.audit.models import AuditEntry
from palermo.core.rules import FieldErrors
from palermo.core.services import NotPermitted
from palermo.federation import services
from palermo.federation.envelope import Envelope, Rejection, open_sealed, seal
from palermo.federation.models import InstanceKey, Partner

from .partners import OtherInstance

pytestmark = pytest.mark.django_db


def test_only_platform_administrators_create_the_identity(operators):
    _, agency_admin = operators
    with pytest.raises(NotPermitted):
        services.init_instance(agency_admin, instance_id="ro.palermo.test", name="x", url="https://x.test/",
                               country="RO", contact_point="desk")


def test_bad_identity_fields_are_reported_field_by_field(operators):
    root, _ = operators
    with pytest.raises(FieldErrors) as bad:
        services.init_instance(root, instance_id="has space", name="", url="http://example.org/", country="XX",
                               contact_point="")
    assert set(bad.value.errors) == {"instance_id", "name", "url", "country", "contact_point"}


def test_private_keys_are_encrypted_at_rest_and_never_on_the_card(initialised):
    with connection.cursor() as cursor:
        cursor.execute("SELECT private_jwk FROM federation_instancekey")
        stored = [row[0] for row in cursor.fetchall()]
    assert len(stored) == 2 and all('"d"' not in value for value in stored)
    card = services.card()
    assert card["instance_id"] == "ro.palermo.test" and card["country"] == "RO"
    assert [a["code"] for a in card["agencies"]] == ["ro-police"]
    assert all("d" not in key["jwk"] for key in card["keys"])
    assert {key["use"] for key in card["keys"]} == {"sig", "enc"}
    assert card["fingerprint"] == services.fingerprint()
    assert AuditEntry.objects.filter(action="federation_init").count() == 1


def test_a_partner_is_added_only_with_the_fingerprint_confirmed_out_of_band(initialised, operators):
    root, agency_admin = operators
    italy = OtherInstance()
    with pytest.raises(NotPermitted):
        services.add_partner(agency_admin, italy.card(), trust_level="referral", message_types=["federation.ping"],
                             confirmed_fingerprint=italy.fingerprint)
    swapped = OtherInstance()
    with pytest.raises(FieldErrors) as bad:
        services.add_partner(root, italy.card(), trust_level="referral", message_types=["federation.ping"],
                             confirmed_fingerprint=swapped.fingerprint)
    assert "fingerprint" in bad.value.errors
    with pytest.raises(FieldErrors) as bad:
        services.add_partner(root, italy.card(), trust_level="best-friends", message_types=["no.such.type"],
                             confirmed_fingerprint=italy.fingerprint)
    assert {"trust_level", "message_types"} <= set(bad.value.errors)
    assert not Partner.objects.exists()

    partner = services.add_partner(root, italy.card(), trust_level="referral", message_types=["federation.ping"],
                                   confirmed_fingerprint=italy.fingerprint)
    assert partner.status == Partner.ACTIVE and partner.allowed_message_types == ["federation.ping"]
    entry = AuditEntry.objects.get(action="federation_add_partner")
    assert entry.object_label == "it.palermo.test" and entry.actor_username == "platform.admin"


def test_a_card_with_a_private_key_or_no_encryption_key_is_refused(initialised):
    italy = OtherInstance()
    leaky = italy.card()
    leaky["keys"][0]["jwk"] = italy.sig.as_dict(private=True)
    with pytest.raises(FieldErrors) as bad:
        services.add_partner(initialised, leaky, trust_level="referral", message_types=["federation.ping"],
                             confirmed_fingerprint=italy.fingerprint)
    assert "keys" in bad.value.errors
    half = italy.card()
    half["keys"] = half["keys"][:1]
    with pytest.raises(FieldErrors) as bad:
        services.add_partner(initialised, half, trust_level="referral", message_types=["federation.ping"],
                             confirmed_fingerprint=italy.fingerprint)
    assert "no encryption key" in " ".join(bad.value.errors["keys"])


def _message_from(italy, to="ro.palermo.test"):
    return Envelope.new(type="federation.ping", sender=italy.instance_id, recipient=to, purpose="connection test",
                        body={})


def _open(token):
    return open_sealed(token, own_instance="ro.palermo.test", decryption_keys=services.decryption_keys(),
                       sender_keys=services.partner_verification_keys, seen_before=lambda _sender, _id: False)


def test_messages_from_a_partner_open_and_a_suspended_partner_is_refused(initialised):
    italy = OtherInstance()
    partner = services.add_partner(initialised, italy.card(), trust_level="referral",
                                   message_types=["federation.ping"], confirmed_fingerprint=italy.fingerprint)
    our_key = OKPKey.import_key(next(k["jwk"] for k in services.card()["keys"] if k["use"] == "enc"))
    enc_kid = next(k["kid"] for k in services.card()["keys"] if k["use"] == "enc")
    token = seal(_message_from(italy), signing_key=italy.sig, signing_kid=italy.sig_kid, recipient_key=our_key,
                 recipient_kid=enc_kid)
    assert _open(token).sender == "it.palermo.test"

    with pytest.raises(FieldErrors):
        services.set_partner_status(initialised, partner, Partner.SUSPENDED, reason="  ")
    services.set_partner_status(initialised, partner, Partner.SUSPENDED, reason="keys reported stolen")
    with pytest.raises(Rejection) as refused:
        _open(token)
    assert refused.value.code == "partner_suspended"
    services.set_partner_status(initialised, partner, Partner.ACTIVE, reason="new keys confirmed by phone")
    assert _open(token).sender == "it.palermo.test"
    actions = list(AuditEntry.objects.filter(action__startswith="federation_partner_").values_list("action", "purpose"))
    assert actions == [("federation_partner_suspend", "keys reported stolen"),
                       ("federation_partner_resume", "new keys confirmed by phone")]


def test_key_rotation_keeps_old_keys_working_for_the_overlap_only(initialised):
    old_sig = services.signing_key()[0]
    old_enc = set(services.decryption_keys())
    services.rotate_keys(initialised, overlap=timedelta(days=7))
    new_sig = services.signing_key()[0]
    assert new_sig != old_sig
    assert old_enc < set(services.decryption_keys())
    card_kids = {k["kid"]: k["retires_at"] for k in services.card()["keys"]}
    assert card_kids[old_sig] is not None and card_kids[new_sig] is None
    later = timezone.now() + timedelta(days=8)
    assert {k.kid for k in services.live_keys("enc", later)}.isdisjoint(old_enc)
    assert InstanceKey.objects.count() == 4


def test_a_partner_rotating_keys_is_followed_through_its_new_card(initialised):
    italy = OtherInstance()
    partner = services.add_partner(initialised, italy.card(), trust_level="operational",
                                   message_types=["federation.ping"], confirmed_fingerprint=italy.fingerprint)
    old_sig, old_kid = italy.sig, italy.sig_kid
    italy.sig, italy.sig_kid = OKPKey.generate_key("Ed25519"), "it-sig-2"
    retiring = {"kid": old_kid, "use": "sig", "jwk": old_sig.as_dict(private=False),
                "retires_at": (timezone.now() + timedelta(days=3)).isoformat()}
    services.update_partner_keys(initialised, partner, italy.card(retiring=[retiring]),
                                 confirmed_fingerprint=italy.fingerprint)
    keys = services.partner_verification_keys("it.palermo.test")
    assert set(keys) == {"it-sig-2", old_kid}
    assert set(services.partner_verification_keys("it.palermo.test", timezone.now() + timedelta(days=4))) == {
        "it-sig-2"}


def test_the_command_line_round_trip(initialised, tmp_path, capsys):
    out = tmp_path / "card.json"
    call_command("federation", "card", "--output", str(out))
    assert json.loads(out.read_text())["instance_id"] == "ro.palermo.test"
    italy = OtherInstance()
    theirs = tmp_path / "italy.json"
    theirs.write_text(json.dumps(italy.card()))
    with pytest.raises(CommandError, match="fingerprint"):
        call_command("federation", "partner", "add", str(theirs), "--user", "platform.admin", "--trust", "referral",
                     "--types", "federation.ping", "--fingerprint", "wrong")
    call_command("federation", "partner", "add", str(theirs), "--user", "platform.admin", "--trust", "referral",
                 "--types", "federation.ping", "--fingerprint", italy.fingerprint)
    call_command("federation", "partner", "suspend", "it.palermo.test", "--user", "platform.admin",
                 "--reason", "audit of the partner")
    call_command("federation", "partner", "list")
    listing = capsys.readouterr().out
    assert "it.palermo.test\tIT\tsuspended\treferral\tfederation.ping" in listing
    with pytest.raises(CommandError, match="not a JSON partner card"):
        bad = tmp_path / "bad.json"
        bad.write_bytes(b"\xff\xfe not json")
        call_command("federation", "partner", "add", str(bad), "--user", "platform.admin", "--trust", "referral",
                     "--types", "federation.ping", "--fingerprint", "x")
    with pytest.raises(CommandError, match="platform administrators"):
        call_command("federation", "rotate-keys", "--user", "agency.admin")
