"""Who am I, the agency directory, tokens and user administration."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from palermo.accounts import security, selectors, services
from palermo.accounts.models import Agency, ApiToken, TaskForce

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    agency: str | None
    roles: list[str]
    clearance: str

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.code if obj.agency_id else None


class AgencyOut(Schema):
    code: str
    name: str
    agency_type: str
    country: str
    region: str
    city: str
    contact_point: str


class TaskForceOut(Schema):
    code: str
    name: str
    agencies: list[str]

    @staticmethod
    def resolve_agencies(obj):
        return [a.code for a in obj.agencies.all()]


class TokenIn(Schema):
    username: str
    password: str
    name: str = "api"
    otp: str = ""  # the authenticator code (or a recovery code) of a user with multi-factor sign-in


class TokenOut(Schema):
    token: str


class UserIn(Schema):
    username: str
    password: str
    roles: list[str]
    clearance: str = "normal"
    first_name: str = ""
    last_name: str = ""
    email: str = ""


class HoldingOut(Schema):
    roles: list[str]
    clearance: str
    is_active: bool


class GrantOut(Schema):
    """One grant, revocation or refused attempt; `subject` is the role or clearance concerned."""

    seq: int
    timestamp: datetime
    actor: str
    agency: str
    action: str
    user: str
    subject: str = ""
    before: HoldingOut | None = None
    after: HoldingOut | None = None
    reasons: list[str] = []

    @staticmethod
    def resolve_actor(obj):
        return obj.actor_username

    @staticmethod
    def resolve_agency(obj):
        return obj.agency_code

    @staticmethod
    def resolve_user(obj):
        return obj.object_label

    @staticmethod
    def resolve_subject(obj):
        return obj.details.get("subject") or ""

    @staticmethod
    def resolve_before(obj):
        return obj.details.get("before")

    @staticmethod
    def resolve_after(obj):
        return obj.details.get("after")

    @staticmethod
    def resolve_reasons(obj):
        return obj.details.get("reasons") or []


@router.get("/me", response=MeOut)
def me(request):
    return request.user


@router.get("/agencies", response=list[AgencyOut])
def agencies(request):
    """The directory of agencies is not secret: it is how partners find each other's contact points."""
    return list(Agency.objects.all())


@router.get("/task-forces", response=list[TaskForceOut])
def task_forces(request):
    return list(TaskForce.objects.prefetch_related("agencies"))


@router.post("/token", response={201: TokenOut}, auth=None)
def issue_token(request, payload: TokenIn):
    """Throttled like the log-in page, and with the same second factor: a token is a sign-in."""
    try:
        user = security.password_sign_in(request, payload.username, payload.password)
        if security.has_mfa(user):
            security.verify_second_factor(request, user, payload.otp)
        elif security.mfa_required_for(user):
            raise HttpError(403, _("Your agency requires multi-factor sign-in: set it up by signing in "
                                   "in the browser first, then ask for a token with its code."))
    except security.SignInRefused as exc:
        if exc.locked:
            raise HttpError(429, _("Too many failed attempts. Wait a few minutes and try again, or ask an "
                                   "administrator of your agency to unlock your account.")) from exc
        raise HttpError(401, _("Wrong username, password or code.")) from exc
    security.clear_account_failures(user.username)
    _token, raw = ApiToken.issue(user, payload.name)
    return Status(201, {"token": raw})


@router.post("/users", response={201: MeOut})
def create_user(request, payload: UserIn):
    return Status(201, services.create_user(request.user, payload.dict()))



@router.get("/grants", response=list[GrantOut])
@paginate
def grants(request):
    """Grants and revocations of roles and clearance in every agency, refusals included: oversight only."""
    return selectors.grant_history(request.user)
