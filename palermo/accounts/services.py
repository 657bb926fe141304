"""Administration of agencies, task forces, compartments and users — audited like every write."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

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


def create_user(actor: User, data: dict, agency: Agency | None = None) -> User:
    """Administrators create users in their own agency; platform administrators in any."""
    _require_admin(actor)
    agency = agency or actor.agency
    if not actor.is_superuser and agency.pk != actor.agency_id:
        raise NotPermitted("administrators manage the users of their own agency only")
    errors = validate_user(data, agency, creating=True)
    errors.raise_if_any()
    with transaction.atomic():
        user = User.objects.create_user(
            username=data["username"].strip(), password=data["password"], agency=agency,
            roles=list(data["roles"]), clearance=data.get("clearance", R.NORMAL),
            first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
            email=data.get("email", ""),
        )
        audit.record(actor, "create_user", object_type="accounts.user", object_id=str(user.pk),
                     object_label=user.username, details={"roles": user.roles, "clearance": user.clearance})
    return user


def update_user(actor: User, user: User, data: dict) -> User:
    _require_admin(actor)
    if not actor.is_superuser and user.agency_id != actor.agency_id:
        raise NotPermitted("administrators manage the users of their own agency only")
    errors = validate_user(data, user.agency, creating=False)
    errors.raise_if_any()
    with transaction.atomic():
        before = {"roles": user.roles, "clearance": user.clearance, "is_active": user.is_active}
        user.roles = list(data["roles"])
        user.clearance = data.get("clearance", user.clearance)
        user.is_active = bool(data.get("is_active", user.is_active))
        user.save(update_fields=["roles", "clearance", "is_active"])
        audit.record(actor, "update_user", object_type="accounts.user", object_id=str(user.pk),
                     object_label=user.username, details={"before": before, "after": {
                         "roles": user.roles, "clearance": user.clearance, "is_active": user.is_active}})
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
