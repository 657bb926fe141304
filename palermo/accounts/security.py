"""Sign-in security: throttling of failed sign-ins, multi-factor sign-in (TOTP + recovery codes).

Both the log-in page and the API's token endpoints go through `password_sign_in` and
`verify_second_factor`, so a password guessed on one cannot be tried without limit on the other.
Every lockout, unlock, enrolment, reset and policy change is audited.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

import pyotp
import segno
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from palermo.accounts import roles as R
from palermo.accounts.models import Agency, RecoveryCode, SignInThrottle, TotpDevice, User
from palermo.audit import services as audit
from palermo.core.services import NotPermitted

ISSUER = "Palermo"
RECOVERY_CODE_COUNT = 10


class SignInRefused(Exception):
    """A sign-in that did not succeed. `locked` says whether it was refused without checking anything."""

    def __init__(self, *, locked: bool = False):
        super().__init__("locked" if locked else "wrong credentials")
        self.locked = locked


def client_address(request) -> str:
    """The peer address. X-Forwarded-For is not trusted: anyone can send it."""
    return (request.META.get("REMOTE_ADDR") or "unknown")[:150]


# --- throttling -------------------------------------------------------------------------------

def _limits() -> dict[str, int]:
    return {
        SignInThrottle.ACCOUNT: settings.PALERMO_SIGNIN_MAX_FAILURES_PER_ACCOUNT,
        SignInThrottle.ADDRESS: settings.PALERMO_SIGNIN_MAX_FAILURES_PER_ADDRESS,
        SignInThrottle.TOKEN_ADDRESS: settings.PALERMO_TOKEN_MAX_FAILURES_PER_ADDRESS,
    }


def _is_locked(scope: str, key: str, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return SignInThrottle.objects.filter(scope=scope, key=key, locked_until__gt=now).exists()


def sign_in_locked(username: str, address: str) -> bool:
    now = timezone.now()
    return _is_locked(SignInThrottle.ACCOUNT, username, now) or _is_locked(SignInThrottle.ADDRESS, address, now)


def token_address_locked(address: str) -> bool:
    return _is_locked(SignInThrottle.TOKEN_ADDRESS, address)


def _count_failure(scope: str, key: str) -> SignInThrottle:
    now = timezone.now()
    window = timedelta(minutes=settings.PALERMO_SIGNIN_FAILURE_WINDOW_MINUTES)
    with transaction.atomic():
        row, _ = SignInThrottle.objects.select_for_update().get_or_create(
            scope=scope, key=key, defaults={"window_started_at": now})
        if row.window_started_at < now - window and not (row.locked_until and row.locked_until > now):
            row.failures, row.window_started_at, row.locked_until = 0, now, None
        row.failures += 1
        newly_locked = row.failures >= _limits()[scope] and not (row.locked_until and row.locked_until > now)
        if newly_locked:
            row.locked_until = now + timedelta(minutes=settings.PALERMO_SIGNIN_COOL_OFF_MINUTES)
        row.save()
        if newly_locked:
            _audit_lockout(row)
    return row


def _audit_lockout(row: SignInThrottle) -> None:
    details = {"scope": row.scope, "failures": row.failures, "locked_until": row.locked_until.isoformat()}
    if row.scope == SignInThrottle.ACCOUNT:
        user = User.objects.select_related("agency").filter(username=row.key).first()
        # The locked account is the subject; recorded under it so that its agency sees the lockout.
        audit.record(user, "sign_in_locked", object_type="accounts.user", object_id=str(user.pk) if user else "",
                     object_label=row.key, details=details)
    else:
        audit.record(None, "sign_in_locked", details={**details, "address": row.key})


def register_failure(username: str, address: str) -> None:
    """A wrong password or a wrong second-factor code, counted against the name and the address."""
    _count_failure(SignInThrottle.ACCOUNT, username)
    _count_failure(SignInThrottle.ADDRESS, address)


def register_token_failure(address: str) -> None:
    """A bearer token that matches no live token."""
    _count_failure(SignInThrottle.TOKEN_ADDRESS, address)


def password_sign_in(request, username: str, password: str) -> User:
    """The first step of every sign-in. While the name or the address is locked, nothing is checked."""
    username = (username or "").strip()[:150]
    address = client_address(request)
    if sign_in_locked(username, address):
        raise SignInRefused(locked=True)
    user = authenticate(request, username=username, password=password)
    if user is None:
        register_failure(username, address)
        raise SignInRefused(locked=sign_in_locked(username, address))
    return user


def clear_account_failures(username: str) -> None:
    """A complete sign-in forgets earlier failures of the account (not of the address)."""
    SignInThrottle.objects.filter(scope=SignInThrottle.ACCOUNT, key=username, locked_until__isnull=True).delete()


def account_locks(usernames) -> dict[str, datetime]:
    """When each currently locked account among `usernames` unlocks by itself."""
    rows = SignInThrottle.objects.filter(scope=SignInThrottle.ACCOUNT, key__in=list(usernames),
                                         locked_until__gt=timezone.now())
    return {row.key: row.locked_until for row in rows}


SIGN_IN_EVENTS = ("sign_in_locked", "unlock_account", "mfa_enrolled", "mfa_reset", "mfa_recovery_code_used")


def recent_sign_in_events(user: User, limit: int = 10):
    """Lockouts, unlocks and second-factor changes of one account, newest first, for its administrators."""
    from palermo.audit.models import AuditEntry

    return AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk),
                                     action__in=SIGN_IN_EVENTS).order_by("-seq")[:limit]


def _require_agency_admin(actor: User, user: User) -> None:
    if actor.is_superuser:
        return
    if not (actor.has_role(R.ADMINISTRATOR) and actor.agency_id and actor.agency_id == user.agency_id):
        raise NotPermitted("only an administrator of the user's agency does this")


def unlock_account(actor: User, user: User) -> None:
    _require_agency_admin(actor, user)
    with transaction.atomic():
        deleted, _ = SignInThrottle.objects.filter(scope=SignInThrottle.ACCOUNT, key=user.username).delete()
        audit.record(actor, "unlock_account", object_type="accounts.user", object_id=str(user.pk),
                     object_label=user.username, details={"was_locked": bool(deleted)})


# --- multi-factor sign-in ---------------------------------------------------------------------

def mfa_required_for(user: User) -> bool:
    """Agency policy: roles that can reveal identities need a second factor."""
    agency = user.agency
    return bool(agency and agency.mfa_required and any(r in R.IDENTITY_REVEALING_ROLES for r in user.roles))


def has_mfa(user: User) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def start_enrolment(user: User) -> TotpDevice:
    """A new secret for an unconfirmed device; a confirmed one is only replaced after a reset."""
    device = TotpDevice.objects.filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        raise NotPermitted("multi-factor sign-in is already set up")
    if device is None:
        device = TotpDevice.objects.create(user=user, secret=pyotp.random_base32())
    return device


def provisioning_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """An inline SVG QR code, drawn on the server (no script, no outside service)."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#12324a", light="#ffffff")


def _totp_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code this is, allowing one step of clock drift either way."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_totp(device: TotpDevice, code: str) -> bool:
    step = _totp_step(device.secret, code, timezone.now())
    if step is None:
        return False
    # Conditional update: of two requests with the same code, only one is accepted.
    return TotpDevice.objects.filter(pk=device.pk).filter(
        Q(last_used_step__isnull=True) | Q(last_used_step__lt=step)).update(last_used_step=step) == 1


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=RecoveryCode.digest_of(c)) for c in codes)
    return codes


def confirm_enrolment(user: User, code: str) -> list[str] | None:
    """The first good code confirms the device; returns the recovery codes, shown to the user once."""
    code = "".join((code or "").split())
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=True).first()
        if device is None or not code.isdigit() or not _use_totp(device, code):
            return None
        TotpDevice.objects.filter(pk=device.pk).update(confirmed_at=timezone.now())
        codes = _new_recovery_codes(user)
        audit.record(user, "mfa_enrolled", object_type="accounts.user", object_id=str(user.pk),
                     object_label=user.username, details={"recovery_codes": len(codes)})
    return codes


def verify_second_factor(request, user: User, code: str) -> None:
    """A code from the authenticator, or an unused recovery code. Wrong codes count as failed sign-ins."""
    address = client_address(request)
    if sign_in_locked(user.username, address):
        raise SignInRefused(locked=True)
    code = "".join((code or "").split())
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is not None and code:
        if code.isdigit() and len(code) == 6:
            if _use_totp(device, code):
                return
        elif _use_recovery_code(user, code):
            return
    register_failure(user.username, address)
    raise SignInRefused(locked=sign_in_locked(user.username, address))


def _use_recovery_code(user: User, code: str) -> bool:
    with transaction.atomic():
        used = RecoveryCode.objects.filter(user=user, digest=RecoveryCode.digest_of(code),
                                           used_at__isnull=True).update(used_at=timezone.now())
        if used:
            left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
            audit.record(user, "mfa_recovery_code_used", object_type="accounts.user", object_id=str(user.pk),
                         object_label=user.username, details={"recovery_codes_left": left})
    return bool(used)


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def reset_mfa(actor: User, user: User) -> None:
    """An administrator of the user's agency removes the second factor (lost phone); the user enrols again."""
    _require_agency_admin(actor, user)
    if actor.pk == user.pk:
        raise NotPermitted("another administrator resets your own second factor")
    with transaction.atomic():
        had_device = TotpDevice.objects.filter(user=user).delete()[0] > 0
        RecoveryCode.objects.filter(user=user).delete()
        audit.record(actor, "mfa_reset", object_type="accounts.user", object_id=str(user.pk),
                     object_label=user.username, details={"had_device": had_device})


def set_mfa_policy(actor: User, agency: Agency, required: bool) -> None:
    if not (actor.is_superuser or (actor.has_role(R.ADMINISTRATOR) and actor.agency_id == agency.pk)):
        raise NotPermitted("only an administrator of the agency sets its sign-in policy")
    with transaction.atomic():
        before = agency.mfa_required
        agency.mfa_required = bool(required)
        agency.save(update_fields=["mfa_required"])
        audit.record(actor, "mfa_policy_changed", object_type="accounts.agency", object_id=str(agency.pk),
                     object_label=agency.code, details={"before": before, "after": agency.mfa_required})
