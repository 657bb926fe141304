"""Agencies, task forces, compartments and the people who work in them."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from palermo.accounts import roles as R
from palermo.accounts.grants import OVERSIGHT_AGENCY_TYPES
from palermo.core import vocab
from palermo.core.crypto import EncryptedTextField


def _validate_country(code: str) -> None:
    if not vocab.is_country(code):
        raise ValidationError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")


class Agency(models.Model):
    """An organisation that owns records: police unit, inspectorate, NGO shelter, prosecutor…"""

    code = models.SlugField(max_length=40, unique=True, help_text="Short stable identifier, e.g. ro-police-atu")
    name = models.CharField(max_length=200)
    agency_type = models.CharField(max_length=40, choices=vocab.agency_type_choices)
    country = models.CharField(max_length=2, validators=[_validate_country])
    region = models.CharField(max_length=120, blank=True)
    city = models.CharField(max_length=120, blank=True)
    contact_point = models.CharField(
        max_length=200, blank=True, help_text="Who other agencies call (deconfliction, sharing requests)"
    )
    mfa_required = models.BooleanField(
        default=True, help_text="Users whose roles can reveal identities must sign in with a second factor"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["country", "name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"

    @property
    def is_oversight_body(self) -> bool:
        """Recognised from its type, so a new oversight body needs no code change."""
        return self.agency_type in OVERSIGHT_AGENCY_TYPES

    @property
    def jurisdiction(self) -> str:
        return " / ".join(p for p in (self.country, self.region, self.city) if p)


class TaskForce(models.Model):
    """Several agencies, possibly of several countries, working together."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    agencies = models.ManyToManyField(Agency, related_name="task_forces")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    roles = models.JSONField(default=list, blank=True)
    clearance = models.CharField(max_length=12, choices=list(R.SENSITIVITIES.items()), default=R.NORMAL)
    preferred_language = models.CharField(max_length=8, blank=True)

    def has_role(self, *wanted: str) -> bool:
        return any(r in self.roles for r in wanted)

    @property
    def role_labels(self) -> str:
        return ", ".join(R.ROLES.get(r, r) for r in self.roles)

    def clean(self) -> None:
        bad = R.unknown_roles(self.roles or [])
        if bad:
            raise ValidationError({"roles": f"unknown role(s): {', '.join(bad)}"})


class Compartment(models.Model):
    """A named need-to-know group of users, e.g. the team leaders of one operation."""

    name = models.CharField(max_length=200)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="compartments")
    members = models.ManyToManyField(User, related_name="compartments", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner_agency", "name"], name="compartment_name_unique")]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """Bearer token for the JSON API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        raw = "plm_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, digest=cls.digest_of(raw)), raw


class SignInThrottle(models.Model):
    """Failed sign-ins counted per account name, per client address, and per address for API tokens.

    Enough failures within the window lock the key until `locked_until` (a cool-off) or until an
    administrator of the account's agency unlocks it. Account keys are names as typed, whether or
    not such a user exists, so a lockout reveals nothing about which accounts exist.
    """

    ACCOUNT = "account"
    ADDRESS = "address"
    TOKEN_ADDRESS = "token_address"
    SCOPES = [(ACCOUNT, "account"), (ADDRESS, "client address"), (TOKEN_ADDRESS, "client address (API tokens)")]

    scope = models.CharField(max_length=16, choices=SCOPES)
    key = models.CharField(max_length=150)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="sign_in_throttle_unique")]


class TotpDevice(models.Model):
    """A user's authenticator app (RFC 6238 TOTP). The secret is encrypted at rest like identity fields."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = EncryptedTextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last time step accepted: a code is good once, so an overheard code cannot be replayed.
    last_used_step = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class RecoveryCode(models.Model):
    """A one-time code for when the authenticator is lost; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.replace("-", "").replace(" ", "").lower().encode()).hexdigest()
