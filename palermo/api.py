"""The JSON API at /api/ (OpenAPI at /api/docs). Every handler reads through the selectors and
writes through the services, so the visibility rule and the audit trail are the UI's own."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from palermo.accounts import security
from palermo.accounts.models import ApiToken
from palermo.accounts.services import GrantRefused
from palermo.core.rules import FieldErrors
from palermo.core.selectors import NotVisible
from palermo.core.services import NotPermitted

TOKEN_USE_RESOLUTION = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        address = security.client_address(request)
        if security.token_address_locked(address):
            raise HttpError(429, _("Too many requests with unknown tokens from your address. Wait a few minutes."))
        found = ApiToken.objects.select_related("user", "user__agency").filter(
            digest=ApiToken.digest_of(token), revoked_at__isnull=True, user__is_active=True).first()
        if found is None:
            security.register_token_failure(address)
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > TOKEN_USE_RESOLUTION:
            # Only once a minute: a write on every read would serialise readers on SQLite.
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


api = NinjaAPI(title="Palermo API", version="1", auth=[TokenAuth(), django_auth], urls_namespace="api")


def _field_error_body(errors: dict[str, list[str]]) -> dict:
    return {"detail": [{"loc": ["body", *field.split(".")], "msg": " ".join(msgs)} for field, msgs in errors.items()]}


@api.exception_handler(FieldErrors)
def _field_errors(request, exc: FieldErrors):
    return api.create_response(request, _field_error_body(exc.errors), status=400)


@api.exception_handler(GrantRefused)
def _grant_refused(request, exc: GrantRefused):
    return api.create_response(request, _field_error_body(exc.errors), status=403)


@api.exception_handler(NotVisible)
def _not_visible(request, exc: NotVisible):
    return api.create_response(request, {"detail": str(exc)}, status=404)


@api.exception_handler(NotPermitted)
def _not_permitted(request, exc: NotPermitted):
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": "authentication required: send 'Authorization: Bearer <token>'"},
                               status=401)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


from palermo.accounts.api import router as accounts_router  # noqa: E402
from palermo.audit.api import router as audit_router  # noqa: E402
from palermo.cooperation.api import router as cooperation_router  # noqa: E402
from palermo.core.api import router as core_router  # noqa: E402
from palermo.intake.api import router as intake_router  # noqa: E402
from palermo.intel.api import router as intel_router  # noqa: E402
from palermo.jobs.api import router as jobs_router  # noqa: E402
from palermo.protection.api import router as protection_router  # noqa: E402
from palermo.referral.api import router as referral_router  # noqa: E402

api.add_router("/", core_router)
api.add_router("/", accounts_router)
api.add_router("/audit", audit_router)
api.add_router("/intake", intake_router)
api.add_router("/protection", protection_router)
api.add_router("/intel", intel_router)
api.add_router("/cooperation", cooperation_router)
api.add_router("/jobs", jobs_router)
api.add_router("/referral", referral_router)
