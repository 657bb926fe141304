"""Who may decide or override, and the written-reason rule shared by every decision and override."""

from ._data import load
from .errors import MissingReasonError, UnauthorisedError


def _roles() -> dict:
    return load("roles.json")


def minimum_reason_length() -> int:
    return _roles()["minimum_reason_length"]


def authorised_roles(power: str) -> tuple[str, ...]:
    """Roles holding `power`: final_decision, non_punishment_override or consent_override."""
    key = f"{power}_roles"
    if key not in _roles():
        raise ValueError(f"Unknown power {power!r}.")
    return tuple(_roles()[key])


def require_authorised(power: str, role: str | None, action: str) -> None:
    """Raise UnauthorisedError naming the roles that may take `action`."""
    allowed = authorised_roles(power)
    if role not in allowed:
        raise UnauthorisedError(
            f"The role {role or 'none'!r} may not {action}; only {', '.join(allowed)} may."
        )


def require_reason(reason: str | None, action: str) -> str:
    """Return the stripped reason, or raise MissingReasonError when it is shorter than the minimum."""
    text = (reason or "").strip()
    needed = minimum_reason_length()
    if len(text) < needed:
        raise MissingReasonError(
            f"A written reason of at least {needed} characters is required to {action} "
            f"(got {len(text)})."
        )
    return text
