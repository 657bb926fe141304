"""A partner instance as seen from this one: its keys and the card it would send."""

from joserfc.jwk import OKPKey

from palermo.federation import services


class OtherInstance:
    """A partner instance's keys and card, as it would send them to us."""

    def __init__(self, instance_id="it.palermo.test"):
        self.instance_id = instance_id
        self.sig = OKPKey.generate_key("Ed25519")
        self.enc = OKPKey.generate_key("X25519")
        self.sig_kid, self.enc_kid = "it-sig-1", "it-enc-1"

    @property
    def fingerprint(self) -> str:
        return services.key_fingerprint(self.sig)

    def card(self, retiring=()):
        keys = [{"kid": self.sig_kid, "use": "sig", "jwk": self.sig.as_dict(private=False), "retires_at": None},
                {"kid": self.enc_kid, "use": "enc", "jwk": self.enc.as_dict(private=False), "retires_at": None}]
        return {"format": services.CARD_FORMAT, "instance_id": self.instance_id, "name": "Palermo Italia",
                "url": "https://it.palermo.test/", "country": "IT", "contact_point": "SCO duty desk",
                "agencies": [{"code": "it-police", "name": "Polizia", "type": "LawEnforcement", "country": "IT"}],
                "keys": keys + list(retiring), "fingerprint": self.fingerprint, "message_types": []}
