"""Signing in: password, then (by agency policy or the user's own choice) a second factor.

Between the two steps the user is not signed in at all: the session only remembers who gave the
right password, for a few minutes. A user who must enrol can therefore do nothing else first.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from palermo.accounts import security
from palermo.accounts.middleware import mark_signed_in
from palermo.accounts.models import User
from palermo.core.services import NotPermitted

PENDING = "palermo_pending_sign_in"
VERIFY, ENROL = "verify", "enrol"


def _refusal(exc: security.SignInRefused, wrong: str) -> str:
    if exc.locked:
        return _("Too many failed attempts. Wait a few minutes and try again, or ask an administrator of "
                 "your agency to unlock your account.")
    return wrong


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return ""


def _pending_user(request, step: str) -> User | None:
    pending = request.session.get(PENDING)
    if not pending or pending.get("step") != step:
        return None
    if time.time() - pending["started"] > settings.PALERMO_MFA_PENDING_MINUTES * 60:
        del request.session[PENDING]
        return None
    user = User.objects.select_related("agency").filter(pk=pending["user_id"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


def _complete(request, user: User) -> str:
    """Signs the user in; returns where to go next."""
    next_url = _safe_next(request, (request.session.get(PENDING) or {}).get("next"))
    request.session.pop(PENDING, None)
    login(request, user)
    mark_signed_in(request.session)
    security.clear_account_failures(user.username)
    return next_url or resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@never_cache
def login_view(request):
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    error, status = "", 200
    if request.method == "POST":
        try:
            user = security.password_sign_in(request, request.POST.get("username", ""),
                                             request.POST.get("password", ""))
        except security.SignInRefused as exc:
            error = _refusal(exc, _("Wrong username or password."))
            status = 429 if exc.locked else 200
        else:
            step = VERIFY if security.has_mfa(user) else ENROL if security.mfa_required_for(user) else None
            request.session[PENDING] = {"user_id": user.pk, "backend": user.backend, "started": time.time(),
                                        "next": next_url, "step": step}
            if step is None:
                return redirect(_complete(request, user))
            return redirect("sign_in_verify" if step == VERIFY else "sign_in_enrol")
    return render(request, "ui/login.html", {"error": error, "next": next_url}, status=status)


@sensitive_post_parameters("code")
@never_cache
def verify(request):
    user = _pending_user(request, VERIFY)
    if user is None:
        return redirect("login")
    error, status = "", 200
    if request.method == "POST":
        try:
            security.verify_second_factor(request, user, request.POST.get("code", ""))
        except security.SignInRefused as exc:
            error = _refusal(exc, _("That code is not right. Enter the current code from your authenticator app, "
                                    "or one of your recovery codes."))
            status = 429 if exc.locked else 200
            if exc.locked:
                request.session.pop(PENDING, None)
        else:
            return redirect(_complete(request, user))
    return render(request, "ui/sign_in_verify.html", {"error": error}, status=status)


@sensitive_post_parameters("code")
@never_cache
def enrol(request):
    """Set up an authenticator: during sign-in when policy requires it, or later from the security page."""
    pending = _pending_user(request, ENROL)
    user = pending or (request.user if request.user.is_authenticated else None)
    if user is None:
        return redirect("login")
    try:
        device = security.start_enrolment(user)
    except NotPermitted:
        messages.info(request, _("Multi-factor sign-in is already set up for your account."))
        return redirect("account_security")
    error = ""
    if request.method == "POST":
        codes = security.confirm_enrolment(user, request.POST.get("code", ""))
        if codes is not None:
            next_url = _complete(request, user) if pending else resolve_url("account_security")
            return render(request, "ui/sign_in_recovery_codes.html", {"codes": codes, "next_url": next_url})
        error = _("That code is not right. Check that the time on your phone is correct and enter the current code.")
    uri = security.provisioning_uri(device)
    return render(request, "ui/sign_in_enrol.html", {
        "error": error, "qr_svg": security.qr_svg(uri), "secret": device.secret, "required": bool(pending),
    }, status=400 if error else 200)


@login_required
def account_security(request):
    user = request.user
    return render(request, "ui/account_security.html", {
        "has_mfa": security.has_mfa(user), "required": security.mfa_required_for(user),
        "recovery_codes_left": security.recovery_codes_left(user),
        "idle_minutes": settings.PALERMO_SESSION_IDLE_MINUTES,
    })


def _managed_user(request, pk) -> User:
    """Users of other agencies look missing, as on the user pages."""
    users = User.objects.select_related("agency")
    if not request.user.is_superuser:
        users = users.filter(agency_id=request.user.agency_id)
    return get_object_or_404(users, pk=pk)


@login_required
@require_POST
def user_unlock(request, pk):
    target = _managed_user(request, pk)
    try:
        security.unlock_account(request.user, target)
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, _("Sign-in for %(username)s is unlocked.") % {"username": target.username})
    return redirect("user_edit", pk=target.pk)


@login_required
@require_POST
def user_reset_mfa(request, pk):
    target = _managed_user(request, pk)
    try:
        security.reset_mfa(request.user, target)
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, _("Multi-factor sign-in of %(username)s is reset: they set it up again at their next "
                                "sign-in.") % {"username": target.username})
    return redirect("user_edit", pk=target.pk)


@login_required
@require_POST
def agency_sign_in_policy(request):
    agency = request.user.agency
    if agency is None:
        raise PermissionDenied(_("You belong to no agency."))
    try:
        security.set_mfa_policy(request.user, agency, request.POST.get("mfa_required") == "on")
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, _("The sign-in policy of your agency is saved."))
    return redirect("user_admin")
