"""Session timeout: an idle session ends, and so does any session older than SESSION_COOKIE_AGE."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

SIGNED_IN_AT = "palermo_signed_in_at"
LAST_SEEN_AT = "palermo_last_seen_at"
# The last-seen time is written at most once a minute, not on every request.
LAST_SEEN_RESOLUTION = 60


def mark_signed_in(session) -> None:
    now = time.time()
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now


def _return_path(request) -> str:
    """Where to come back to after signing in again: this page, or for a form post the page it was on."""
    if request.method == "GET" and not request.headers.get("HX-Request"):
        return request.get_full_path()
    for candidate in (request.headers.get("HX-Current-URL", ""), request.headers.get("Referer", "")):
        if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
            return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._check(request)
            if expired is not None:
                return expired
        return self.get_response(request)

    def _check(self, request):
        session, now = request.session, time.time()
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        last_seen_at = session.get(LAST_SEEN_AT, now)
        idle = settings.PALERMO_SESSION_IDLE_MINUTES * 60
        if now - last_seen_at <= idle and now - signed_in_at <= settings.SESSION_COOKIE_AGE:
            if LAST_SEEN_AT not in session or now - last_seen_at >= LAST_SEEN_RESOLUTION:
                session[LAST_SEEN_AT] = now
            return None
        back = _return_path(request)
        logout(request)
        if request.path.startswith("/api/"):
            return None  # the API answers 401 in JSON for the now anonymous request
        messages.info(request, _("Your session has timed out. Sign in again to continue where you were."))
        target = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': back})}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
