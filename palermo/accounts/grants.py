"""Who may grant which roles and clearance to whom. Plain Python, so the rule reads as one table.

Grants are bounded by the granter: an administrator hands out only the roles its capacity allows, in its
own agency, and never a clearance above its own; oversight roles come only from the oversight body's own
administrator, so no agency can appoint the people who watch it; nobody changes their own account.
Revoking is bounded like granting: a role you may not grant you may not take away either.
"""

from __future__ import annotations

from dataclasses import dataclass

from palermo.accounts import roles as R

# Agencies whose `agency_type` (organisation_types vocabulary) makes them an oversight body.
OVERSIGHT_AGENCY_TYPES = frozenset({"OversightBody"})
OVERSIGHT_ROLES = frozenset({R.AUDITOR})

# The capacities in which someone grants.
PLATFORM = "platform"                # the platform superuser: sets agencies up, anywhere
AGENCY_ADMIN = "agency_admin"        # an administrator of an operational agency, in that agency
OVERSIGHT_ADMIN = "oversight_admin"  # the oversight body's administrator, in the oversight body

# Role -> the capacities that may grant (and revoke) it.
ROLE_GRANTERS: dict[str, frozenset[str]] = {
    **{role: frozenset({PLATFORM, AGENCY_ADMIN}) for role in R.CASEWORK_ROLES},
    R.ADMINISTRATOR: frozenset({PLATFORM, AGENCY_ADMIN, OVERSIGHT_ADMIN}),
    R.AUDITOR: frozenset({OVERSIGHT_ADMIN}),
}
# Capacities not bounded by their own clearance: the platform superuser clears each agency's first staff.
CLEARANCE_UNBOUNDED = frozenset({PLATFORM})

# Reasons for a refusal (services turn them into sentences in the user's language).
NOT_ADMINISTRATOR = "not_administrator"
OTHER_AGENCY = "other_agency"
OWN_ACCOUNT = "own_account"
ROLE_NOT_GRANTABLE = "role_not_grantable"
CLEARANCE_ABOVE_OWN = "clearance_above_own"

# Audit actions of grants and revocations (what the oversight body reviews).
GRANT_ACTIONS = ("create_user", "grant_role", "revoke_role", "change_clearance", "deactivate_user",
                 "reactivate_user", "grant_refused")


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    agency_id: int | None
    agency_is_oversight: bool
    roles: frozenset[str]
    clearance: str
    platform_admin: bool


@dataclass(frozen=True)
class Target:
    user_id: int | None  # None while the user is being created
    agency_id: int | None
    agency_is_oversight: bool


@dataclass(frozen=True)
class Holding:
    """What a user holds: roles, clearance, and whether the account is active."""

    roles: frozenset[str]
    clearance: str
    is_active: bool = True


@dataclass(frozen=True)
class Refusal:
    field: str
    reason: str
    subject: str = ""  # the role or clearance refused


def capacities(actor: Actor, target: Target) -> frozenset[str]:
    """The capacities in which `actor` acts on a user of `target`'s agency."""
    found = {PLATFORM} if actor.platform_admin else set()
    if R.ADMINISTRATOR in actor.roles and actor.agency_id is not None and actor.agency_id == target.agency_id:
        found.add(OVERSIGHT_ADMIN if actor.agency_is_oversight else AGENCY_ADMIN)
    return frozenset(found)


def grantable_roles(actor: Actor, target: Target) -> frozenset[str]:
    held = capacities(actor, target)
    return frozenset(role for role, granters in ROLE_GRANTERS.items() if granters & held)


def grantable_clearances(actor: Actor, target: Target | None = None) -> list[str]:
    """Clearances the actor may give, lowest first."""
    unbounded = actor.platform_admin if target is None else bool(capacities(actor, target) & CLEARANCE_UNBOUNDED)
    ceiling = max(R.SENSITIVITY_RANK.values()) if unbounded else R.SENSITIVITY_RANK[actor.clearance]
    return [c for c, rank in sorted(R.SENSITIVITY_RANK.items(), key=lambda item: item[1]) if rank <= ceiling]


def changes(before: Holding | None, after: Holding) -> list[tuple[str, str]]:
    """Each grant and revocation between two holdings, as (audit action, role or clearance)."""
    if before is None:
        return [("create_user", "")]
    found = [("grant_role", role) for role in sorted(after.roles - before.roles)]
    found += [("revoke_role", role) for role in sorted(before.roles - after.roles)]
    if after.clearance != before.clearance:
        found.append(("change_clearance", after.clearance))
    if after.is_active != before.is_active:
        found.append(("reactivate_user" if after.is_active else "deactivate_user", ""))
    return found


def refusals(actor: Actor, target: Target, before: Holding | None, after: Holding) -> list[Refusal]:
    """Why `actor` may not take `target` from `before` (None: a new user) to `after`; empty when allowed."""
    if not changes(before, after):
        return []
    held = capacities(actor, target)
    if not actor.platform_admin and R.ADMINISTRATOR not in actor.roles:
        return [Refusal("user", NOT_ADMINISTRATOR)]
    if not held:
        return [Refusal("user", OTHER_AGENCY)]
    if target.user_id is not None and target.user_id == actor.user_id:
        return [Refusal("user", OWN_ACCOUNT)]
    previous = before or Holding(frozenset(), R.NORMAL, after.is_active)
    touched = after.roles ^ previous.roles
    if after.is_active != previous.is_active:
        touched |= after.roles | previous.roles  # (de)activating grants or takes away everything held
    allowed = grantable_roles(actor, target)
    found = [Refusal("roles", ROLE_NOT_GRANTABLE, role) for role in sorted(touched - allowed)]
    if (before is None or after.clearance != before.clearance) and after.clearance not in grantable_clearances(
            actor, target):
        found.append(Refusal("clearance", CLEARANCE_ABOVE_OWN, after.clearance))
    return found
