"""This instance's keys and the partner instances it trusts."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from palermo.core.crypto import EncryptedJSONField, EncryptedTextField

SIGNING, ENCRYPTION = "sig", "enc"
KEY_USES = [(SIGNING, "Signing"), (ENCRYPTION, "Encryption")]


class InstanceProfile(models.Model):
    """Who this instance is to its partners (one row). Set by `palermo federation init`."""

    instance_id = models.CharField(max_length=200, unique=True, help_text="e.g. ro.palermo.example.org")
    name = models.CharField(max_length=200)
    url = models.URLField(help_text="Where partners deliver messages")
    country = models.CharField(max_length=2)
    contact_point = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)


class InstanceKey(models.Model):
    """One of this instance's key pairs. The private half is encrypted at rest with the field key.
    A rotated key keeps working (decryption, verification by partners) until `retires_at`."""

    kid = models.CharField(max_length=80, unique=True)
    use = models.CharField(max_length=3, choices=KEY_USES)
    public_jwk = models.JSONField()
    private_jwk = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)
    retires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class Partner(models.Model):
    """Another Palermo instance, added by an administrator from a card received out of band."""

    ACTIVE, SUSPENDED = "active", "suspended"
    STATUSES = [(ACTIVE, "Active"), (SUSPENDED, "Suspended")]
    TRUST_LEVELS = [
        ("operational", "Operational partner (cases, intelligence and referrals)"),
        ("referral", "Referral partner (victim referrals and requests only)"),
        ("notification", "Notifications only"),
    ]

    instance_id = models.CharField(max_length=200, unique=True)
    name = models.CharField(max_length=200)
    url = models.URLField()
    country = models.CharField(max_length=2)
    agencies = models.JSONField(default=list, help_text="The partner's agencies as its card lists them")
    contact_point = models.CharField(max_length=200)
    trust_level = models.CharField(max_length=20, choices=TRUST_LEVELS)
    allowed_message_types = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=STATUSES, default=ACTIVE)
    fingerprint = models.CharField(max_length=64, help_text="Thumbprint of the signing key confirmed out of band")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["country", "name"]

    @property
    def audit_label(self) -> str:
        return self.instance_id


class PartnerKey(models.Model):
    """A partner's public key as its card listed it; kept until its own retirement time."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="keys")
    kid = models.CharField(max_length=80)
    use = models.CharField(max_length=3, choices=KEY_USES)
    public_jwk = models.JSONField()
    retires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner", "kid"], name="federation_partner_key_unique")]


class ReceivedMessage(models.Model):
    """Every message accepted from a partner, by id: a second arrival is answered, never applied again."""

    message_id = models.CharField(max_length=64)
    sender = models.CharField(max_length=200)
    message_type = models.CharField(max_length=100)
    conversation = models.CharField(max_length=64)
    handling_code = models.CharField(max_length=20, blank=True)
    use_restrictions = models.JSONField(default=list)
    purpose = models.CharField(max_length=300)
    created = models.DateTimeField()
    expires = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sender", "message_id"], name="federation_received_once")]


class OutboxMessage(models.Model):
    """A message to a partner, written in the same transaction as the change that causes it and
    delivered by the background worker until the partner confirms it with a signed receipt."""

    PENDING, DELIVERED, REJECTED, DEAD = "pending", "delivered", "rejected", "dead"
    STATUSES = [(PENDING, "Waiting for delivery"), (DELIVERED, "Delivered"), (REJECTED, "Refused by the partner"),
                (DEAD, "Undeliverable")]

    message_id = models.CharField(max_length=64, unique=True)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="outbox")
    message_type = models.CharField(max_length=100)
    conversation = models.CharField(max_length=64)
    purpose = models.CharField(max_length=300)
    handling_code = models.CharField(max_length=20, blank=True)
    use_restrictions = models.JSONField(default=list)
    body = EncryptedJSONField(blank=True, default="")
    created = models.DateTimeField()
    expires = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    receipt = models.TextField(blank=True, help_text="The partner's signed answer, as received")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    @property
    def audit_label(self) -> str:
        return f"{self.message_type} {self.message_id}"
