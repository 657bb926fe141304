"""Administration of agencies, task forces, compartments and users — audited like every write."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from palermo.accounts import grants as G
from palermo.accounts import roles as R
from palermo.accounts.models import Agency, Compartment, TaskForce, User
from palermo.audit import services as audit
from palermo.core import vocab
from palermo.core.rules import ErrorCollector
from palermo.core.services import NotPermitted


def _require_admin(actor: User) -> None:
    if not (actor.is_superuser or actor.has_role(R.ADMINISTRATOR)):
        raise NotPermitted("only administrators manage agencies and users")


def create_agency(actor: User, *, code: str, name: str, agency_type: str, country: str, region: str = "",
                  city: str = "", contact_point: str = "") -> Agency:
    if not actor.is_superuser:
        raise NotPermitted("only platform administrators register agencies")
    errors = ErrorCollector()
    if not code or Agency.objects.filter(code=code).exists():
        errors.add("code", "required and unique")
    if not name.strip():
        errors.add("name", "required")
    if agency_type not in dict(vocab.agency_type_choices()):
        errors.add("agency_type", f"unknown agency type {agency_type!r}")
    if not vocab.is_country(country):
        errors.add("country", f"{country!r} is not an ISO 3166 country code")
    errors.raise_if_any()
    with transaction.atomic():
        agency = Agency.objects.create(code=code, name=name.strip(), agency_type=agency_type, country=country,
                                       region=region, city=city, contact_point=contact_point)
        audit.record(actor, "create_agency", agency)
    return agency


def validate_user(data: dict, agency: Agency, *, creating: bool) -> ErrorCollector:
    errors = ErrorCollector()
    roles = data.get("roles") or []
    if not roles:
        errors.add("roles", "give at least one role")
    bad = R.unknown_roles(roles)
    if bad:
        errors.add("roles", f"unknown role(s): {', '.join(bad)}")
    if data.get("clearance", R.NORMAL) not in R.SENSITIVITIES:
        errors.add("clearance", f"must be one of {', '.join(R.SENSITIVITIES)}")
    if creating:
        username = (data.get("username") or "").strip()
        if not username:
            errors.add("username", "required")
        elif User.objects.filter(username=username).exists():
            errors.add("username", "already taken")
        try:
            validate_password(data.get("password") or "")
        except ValidationError as exc:
            errors.errors.setdefault("password", []).extend(exc.messages)
    return errors


class GrantRefused(NotPermitted):
    """A grant or revocation beyond what the granter may give: a 403 that names the fields refused."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(" ".join(" ".join(messages) for messages in errors.values()))


def _refusal_message(refusal: G.Refusal) -> str:
    subject = R.ROLES.get(refusal.subject) or R.SENSITIVITIES.get(refusal.subject, "")
    return {
        G.NOT_ADMINISTRATOR: _("Only administrators grant roles and clearance."),
        G.OTHER_AGENCY: _("Administrators manage the users of their own agency only."),
        G.OWN_ACCOUNT: _("Nobody changes their own roles, clearance or status; ask another administrator."),
        G.ROLE_NOT_GRANTABLE: _("You may not grant or take away the role “%(role)s”.") % {"role": _(subject)},
        G.CLEARANCE_ABOVE_OWN: _("You may not grant clearance “%(clearance)s”: it is above your own.")
        % {"clearance": _(subject)},
    }[refusal.reason]


def as_actor(user: User) -> G.Actor:
    agency = user.agency if user.agency_id else None
    return G.Actor(user_id=user.pk, agency_id=user.agency_id, agency_is_oversight=bool(agency and
                   agency.is_oversight_body), roles=frozenset(user.roles or []), clearance=user.clearance,
                   platform_admin=user.is_superuser)


def as_target(agency: Agency | None, user: User | None = None) -> G.Target:
    return G.Target(user_id=user.pk if user else None, agency_id=agency.pk if agency else None,
                    agency_is_oversight=bool(agency and agency.is_oversight_body))


def _holding(user: User) -> G.Holding:
    return G.Holding(roles=frozenset(user.roles or []), clearance=user.clearance, is_active=user.is_active)


def _as_details(holding: G.Holding | None) -> dict | None:
    if holding is None:
        return None
    return {"roles": sorted(holding.roles), "clearance": holding.clearance, "is_active": holding.is_active}


def _check_grant(actor: User, target: G.Target, before: G.Holding | None, after: G.Holding, label: str) -> None:
    """Refuses (and records the attempt for the oversight body) a grant beyond the granter's bounds."""
    refused = G.refusals(as_actor(actor), target, before, after)
    if not refused:
        return
    errors: dict[str, list[str]] = {}
    for refusal in refused:
        errors.setdefault(refusal.field, []).append(_refusal_message(refusal))
    with transaction.atomic():
        audit.record(actor, "grant_refused", object_type="accounts.user", object_id=str(target.user_id or ""),
                     object_label=label, details={"before": _as_details(before), "after": _as_details(after),
                                                  "reasons": sorted({r.reason for r in refused})})
    raise GrantRefused(errors)


def _audit_changes(actor: User, user: User, before: G.Holding | None, after: G.Holding) -> None:
    for action, subject in G.changes(before, after):
        details = {"before": _as_details(before), "after": _as_details(after)}
        if before is not None:
            details["subject"] = subject
        audit.record(actor, action, object_type="accounts.user", object_id=str(user.pk), object_label=user.username,
                     details=details)


def create_user(actor: User, data: dict, agency: Agency | None = None) -> User:
    """Administrators create users in their own agency, the platform superuser in any; within their grants."""
    _require_admin(actor)
    agency = agency or actor.agency
    errors = validate_user(data, agency, creating=True)
    errors.raise_if_any()
    after = G.Holding(roles=frozenset(data["roles"]), clearance=data.get("clearance", R.NORMAL))
    _check_grant(actor, as_target(agency), None, after, data["username"].strip())
    with transaction.atomic():
        user = User.objects.create_user(
            username=data["username"].strip(), password=data["password"], agency=agency,
            roles=list(data["roles"]), clearance=after.clearance,
            first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
            email=data.get("email", ""),
        )
        _audit_changes(actor, user, None, _holding(user))
    return user


def update_user(actor: User, user: User, data: dict) -> User:
    """Changes roles, clearance and status within the actor's grants; each change is its own audit entry."""
    _require_admin(actor)
    errors = validate_user(data, user.agency, creating=False)
    errors.raise_if_any()
    before = _holding(user)
    after = G.Holding(roles=frozenset(data["roles"]), clearance=data.get("clearance", user.clearance),
                      is_active=bool(data.get("is_active", user.is_active)))
    _check_grant(actor, as_target(user.agency if user.agency_id else None, user), before, after, user.username)
    with transaction.atomic():
        user.roles = list(data["roles"])
        user.clearance, user.is_active = after.clearance, after.is_active
        user.save(update_fields=["roles", "clearance", "is_active"])
        _audit_changes(actor, user, before, _holding(user))
    return user


def create_task_force(actor: User, *, code: str, name: str, agencies: list[Agency]) -> TaskForce:
    if not actor.is_superuser:
        raise NotPermitted("only platform administrators set up task forces")
    with transaction.atomic():
        task_force = TaskForce.objects.create(code=code, name=name)
        task_force.agencies.set(agencies)
        audit.record(actor, "create_task_force", object_type="accounts.taskforce", object_id=str(task_force.pk),
                     object_label=task_force.code, details={"agencies": [a.code for a in agencies]})
    return task_force


def create_compartment(actor: User, name: str, members: list[User]) -> Compartment:
    if not actor.has_role(R.SUPERVISOR, R.ADMINISTRATOR):
        raise NotPermitted("only supervisors and administrators create compartments")
    foreign = [m.username for m in members if m.agency_id != actor.agency_id]
    errors = ErrorCollector()
    if not name.strip():
        errors.add("name", "required")
    if foreign:
        errors.add("members", f"not in your agency: {', '.join(foreign)}")
    errors.raise_if_any()
    with transaction.atomic():
        compartment = Compartment.objects.create(name=name.strip(), owner_agency_id=actor.agency_id)
        compartment.members.set(members)
        audit.record(actor, "create_compartment", object_type="accounts.compartment", object_id=str(compartment.pk),
                     object_label=compartment.name, details={"members": [m.username for m in members]})
    return compartment
