"""Federation identity and partners: keys, the partner card, adding, suspending and re-keying partners.

Every change is audited. Only platform administrators (the instance's own operators) manage the
instance's identity and its partners: a partner can send messages that reach every agency here.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from joserfc.jwk import OKPKey

from palermo.audit import services as audit
from palermo.core import vocab
from palermo.core.rules import ErrorCollector
from palermo.core.services import NotPermitted
from palermo.federation import registry
from palermo.federation.envelope import Rejection
from palermo.federation.models import ENCRYPTION, SIGNING, InstanceKey, InstanceProfile, Partner, PartnerKey

CARD_FORMAT = "palermo-partner-card/1"
KEY_TYPES = {SIGNING: "Ed25519", ENCRYPTION: "X25519"}
DEFAULT_OVERLAP = timedelta(days=14)


class NotInitialised(RuntimeError):
    """`palermo federation init` has not been run on this instance."""


def _require_platform_admin(actor) -> None:
    if actor is None or not actor.is_superuser:
        raise NotPermitted("only the instance's platform administrators manage federation partners and keys")


def _new_key(use: str, now: datetime) -> InstanceKey:
    key = OKPKey.generate_key(KEY_TYPES[use])
    kid = f"{use}-{now:%Y%m%d}-{uuid.uuid4().hex[:8]}"
    return InstanceKey.objects.create(kid=kid, use=use, public_jwk={**key.as_dict(private=False), "kid": kid},
                                      private_jwk=json.dumps(key.as_dict(private=True)))


def init_instance(actor, *, instance_id: str, name: str, url: str, country: str, contact_point: str) -> InstanceProfile:
    """This instance's identity and its first signing and encryption keys (once)."""
    _require_platform_admin(actor)
    errors = ErrorCollector()
    if InstanceProfile.objects.exists():
        errors.add("instance_id", "this instance already has its federation identity; rotate keys instead")
    if not instance_id.strip() or any(c.isspace() for c in instance_id):
        errors.add("instance_id", "required, without spaces (e.g. ro.palermo.example.org)")
    if not name.strip():
        errors.add("name", "required")
    if not url.startswith(("https://", "http://127.", "http://localhost")):
        errors.add("url", "must be an https:// address (plain http only on this machine's loopback)")
    if not vocab.is_country(country):
        errors.add("country", f"{country!r} is not an ISO 3166 country code")
    if not contact_point.strip():
        errors.add("contact_point", "required: partners need someone to call")
    errors.raise_if_any()
    now = timezone.now()
    with transaction.atomic():
        profile = InstanceProfile.objects.create(instance_id=instance_id.strip(), name=name.strip(), url=url,
                                                 country=country, contact_point=contact_point.strip())
        keys = [_new_key(SIGNING, now), _new_key(ENCRYPTION, now)]
        audit.record(actor, "federation_init", object_type="federation.instanceprofile", object_id=str(profile.pk),
                     object_label=profile.instance_id, details={"kids": [k.kid for k in keys]})
    return profile


def profile() -> InstanceProfile:
    found = InstanceProfile.objects.first()
    if found is None:
        raise NotInitialised("this instance has no federation identity yet: run `palermo federation init`")
    return found


def live_keys(use: str, now: datetime | None = None) -> list[InstanceKey]:
    """Keys still in service, newest first: the first signs and is named on the card for encryption."""
    now = now or timezone.now()
    return [k for k in InstanceKey.objects.filter(use=use) if k.retires_at is None or k.retires_at > now]


def signing_key() -> tuple[str, OKPKey]:
    key = live_keys(SIGNING)[0]
    return key.kid, OKPKey.import_key(json.loads(key.private_jwk))


def decryption_keys() -> dict[str, OKPKey]:
    return {k.kid: OKPKey.import_key(json.loads(k.private_jwk)) for k in live_keys(ENCRYPTION)}


def key_fingerprint(key: OKPKey) -> str:
    """The key's RFC 7638 thumbprint in hexadecimal: read aloud or compared when a card is exchanged
    (hex, unlike base64url, never starts with a dash that a command line would take for an option)."""
    thumbprint = key.thumbprint()
    return base64.urlsafe_b64decode(thumbprint + "=" * (-len(thumbprint) % 4)).hex()


def fingerprint() -> str:
    """Fingerprint of this instance's current signing key."""
    return key_fingerprint(OKPKey.import_key(live_keys(SIGNING)[0].public_jwk))


def card() -> dict:
    """The partner card: everything a partner needs to add this instance, no secret in it."""
    me = profile()
    from palermo.accounts.models import Agency

    keys = live_keys(SIGNING) + live_keys(ENCRYPTION)
    return {
        "format": CARD_FORMAT,
        "instance_id": me.instance_id,
        "name": me.name,
        "url": me.url,
        "country": me.country,
        "contact_point": me.contact_point,
        "agencies": [{"code": a.code, "name": a.name, "type": a.agency_type, "country": a.country}
                     for a in Agency.objects.order_by("country", "code")],
        "keys": [{"kid": k.kid, "use": k.use, "jwk": k.public_jwk,
                  "retires_at": k.retires_at.isoformat() if k.retires_at else None} for k in keys],
        "fingerprint": fingerprint(),
        "message_types": registry.names(),
    }


def rotate_keys(actor, *, overlap: timedelta = DEFAULT_OVERLAP) -> list[InstanceKey]:
    """New signing and encryption keys; the old ones keep working for `overlap` so partners can take
    the new card in their own time."""
    _require_platform_admin(actor)
    if overlap < timedelta(0):
        errors = ErrorCollector()
        errors.add("overlap", "cannot be negative")
        errors.raise_if_any()
    now = timezone.now()
    with transaction.atomic():
        retiring = [k for k in live_keys(SIGNING, now) + live_keys(ENCRYPTION, now) if k.retires_at is None]
        for key in retiring:
            key.retires_at = now + overlap
            key.save(update_fields=["retires_at"])
        fresh = [_new_key(SIGNING, now), _new_key(ENCRYPTION, now)]
        audit.record(actor, "federation_rotate_keys", object_type="federation.instanceprofile",
                     object_id=str(profile().pk), object_label=profile().instance_id,
                     details={"new": [k.kid for k in fresh], "retiring": [k.kid for k in retiring],
                              "retire_at": (now + overlap).isoformat()})
    return fresh


def _validated_card(data: dict, errors: ErrorCollector) -> dict:
    if not isinstance(data, dict) or data.get("format") != CARD_FORMAT:
        errors.add("card", f"not a Palermo partner card (format {CARD_FORMAT})")
        errors.raise_if_any()
    for name in ("instance_id", "name", "url", "country", "contact_point"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            errors.add(name, "required in the card")
    if isinstance(data.get("country"), str) and not vocab.is_country(data["country"]):
        errors.add("country", f"{data['country']!r} is not an ISO 3166 country code")
    keys = data.get("keys")
    if not isinstance(keys, list) or not keys:
        errors.add("keys", "the card lists no keys")
        keys = []
    parsed = []
    for number, entry in enumerate(keys, start=1):
        try:
            use = entry["use"]
            key = OKPKey.import_key(entry["jwk"])
            if use not in KEY_TYPES or key.curve_name != KEY_TYPES[use] or key.is_private:
                raise ValueError(f"a {use!r} key must be a public {KEY_TYPES.get(use, '?')} key")
            retires = datetime.fromisoformat(entry["retires_at"]) if entry.get("retires_at") else None
            parsed.append({"kid": str(entry["kid"]), "use": use, "jwk": key.as_dict(private=False),
                           "retires_at": retires})
        except (KeyError, TypeError, ValueError) as exc:
            errors.add("keys", f"key {number}: {exc}")
    if parsed and not any(k["use"] == SIGNING for k in parsed):
        errors.add("keys", "the card has no signing key")
    if parsed and not any(k["use"] == ENCRYPTION for k in parsed):
        errors.add("keys", "the card has no encryption key")
    errors.raise_if_any()
    return {**data, "keys": parsed}


def _card_fingerprint(parsed: dict) -> str:
    newest_signing = next(k for k in parsed["keys"] if k["use"] == SIGNING and k["retires_at"] is None)
    return key_fingerprint(OKPKey.import_key(newest_signing["jwk"]))


def add_partner(actor, card_data: dict, *, trust_level: str, message_types: list[str],
                confirmed_fingerprint: str) -> Partner:
    """Add a partner from its card. The fingerprint must have been confirmed out of band (phone,
    meeting) and match the card's current signing key: a card swapped in transit is refused."""
    _require_platform_admin(actor)
    errors = ErrorCollector()
    parsed = _validated_card(card_data, errors)
    if Partner.objects.filter(instance_id=parsed["instance_id"]).exists():
        errors.add("instance_id", "already a partner: update its keys instead")
    if InstanceProfile.objects.filter(instance_id=parsed["instance_id"]).exists():
        errors.add("instance_id", "this is our own card")
    if trust_level not in dict(Partner.TRUST_LEVELS):
        errors.add("trust_level", f"one of {', '.join(dict(Partner.TRUST_LEVELS))}")
    unknown = [t for t in message_types if t not in registry.names()]
    if unknown:
        errors.add("message_types", f"not message types of this instance: {', '.join(unknown)}")
    if not message_types:
        errors.add("message_types", "allow at least one message type")
    try:
        expected = _card_fingerprint(parsed)
    except StopIteration:
        expected = ""
        errors.add("keys", "the card has no current signing key")
    if confirmed_fingerprint.strip() != expected:
        errors.add("fingerprint", "does not match the card's signing key: confirm the card with the partner")
    errors.raise_if_any()
    with transaction.atomic():
        partner = Partner.objects.create(
            instance_id=parsed["instance_id"], name=parsed["name"], url=parsed["url"], country=parsed["country"],
            agencies=parsed.get("agencies") or [], contact_point=parsed["contact_point"], trust_level=trust_level,
            allowed_message_types=sorted(set(message_types)), fingerprint=expected, added_by=actor)
        _store_partner_keys(partner, parsed["keys"])
        audit.record(actor, "federation_add_partner", partner,
                     details={"trust_level": trust_level, "message_types": partner.allowed_message_types,
                              "fingerprint": expected})
    return partner


def update_partner_keys(actor, partner: Partner, card_data: dict, *, confirmed_fingerprint: str) -> Partner:
    """Take a partner's new card after it rotated keys. Keys it no longer lists stop at once; keys it
    lists as retiring keep working until their time."""
    _require_platform_admin(actor)
    errors = ErrorCollector()
    parsed = _validated_card(card_data, errors)
    if parsed["instance_id"] != partner.instance_id:
        errors.add("instance_id", f"the card is for {parsed['instance_id']!r}, not {partner.instance_id!r}")
    expected = _card_fingerprint(parsed)
    if confirmed_fingerprint.strip() != expected:
        errors.add("fingerprint", "does not match the card's signing key: confirm the card with the partner")
    errors.raise_if_any()
    with transaction.atomic():
        before = sorted(partner.keys.values_list("kid", flat=True))
        partner.keys.all().delete()
        _store_partner_keys(partner, parsed["keys"])
        partner.fingerprint = expected
        partner.save(update_fields=["fingerprint"])
        audit.record(actor, "federation_update_partner_keys", partner,
                     details={"before": before, "after": [k["kid"] for k in parsed["keys"]], "fingerprint": expected})
    return partner


def _store_partner_keys(partner: Partner, keys: list[dict]) -> None:
    PartnerKey.objects.bulk_create([PartnerKey(partner=partner, kid=k["kid"], use=k["use"], public_jwk=k["jwk"],
                                               retires_at=k["retires_at"]) for k in keys])


def set_partner_status(actor, partner: Partner, status: str, *, reason: str) -> Partner:
    """Suspend (nothing is accepted from or sent to it) or resume a partner, with the reason audited."""
    _require_platform_admin(actor)
    errors = ErrorCollector()
    if status not in dict(Partner.STATUSES):
        errors.add("status", f"one of {', '.join(dict(Partner.STATUSES))}")
    if not reason.strip():
        errors.add("reason", "say why")
    if status == partner.status:
        errors.add("status", f"the partner is already {status}")
    errors.raise_if_any()
    with transaction.atomic():
        previous = partner.status
        partner.status, partner.status_changed_at = status, timezone.now()
        partner.save(update_fields=["status", "status_changed_at"])
        audit.record(actor, "federation_partner_" + ("suspend" if status == Partner.SUSPENDED else "resume"),
                     partner, purpose=reason.strip(), details={"from": previous, "to": status})
    return partner


def partner_verification_keys(instance_id: str, now: datetime | None = None) -> dict[str, OKPKey]:
    """The keys that verify an active partner's signatures now; unknown or suspended partners have none."""
    now = now or timezone.now()
    partner = Partner.objects.filter(instance_id=instance_id).first()
    if partner is None:
        raise Rejection("unknown_sender", f"{instance_id!r} is not a partner of this instance", sender=instance_id)
    if partner.status != Partner.ACTIVE:
        raise Rejection("partner_suspended", "this instance has suspended exchanges with the sender",
                        sender=instance_id)
    return {k.kid: OKPKey.import_key(k.public_jwk)
            for k in partner.keys.filter(use=SIGNING) if k.retires_at is None or k.retires_at > now}


def partner_encryption_key(partner: Partner, now: datetime | None = None) -> tuple[str, OKPKey]:
    """The partner's newest encryption key still in service."""
    now = now or timezone.now()
    live = [k for k in partner.keys.filter(use=ENCRYPTION).order_by("-pk") if k.retires_at is None or k.retires_at > now]
    if not live:
        raise NotPermitted(f"{partner.instance_id} has no encryption key in service: ask for its new card")
    current = next((k for k in live if k.retires_at is None), live[0])
    return current.kid, OKPKey.import_key(current.public_jwk)
