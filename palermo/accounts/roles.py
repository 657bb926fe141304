"""User roles and clearances. Plain Python: the rules about who may do what, without Django."""

from __future__ import annotations

HOTLINE_OPERATOR = "hotline_operator"
ANALYST = "analyst"
INVESTIGATOR = "investigator"
CASE_MANAGER = "case_manager"
PROSECUTOR = "prosecutor"
SUPERVISOR = "supervisor"
NATIONAL_COORDINATOR = "national_coordinator"
AUDITOR = "auditor"
ADMINISTRATOR = "administrator"

ROLES = {
    HOTLINE_OPERATOR: "Hotline operator",
    ANALYST: "Analyst",
    INVESTIGATOR: "Investigator",
    CASE_MANAGER: "Case manager",
    PROSECUTOR: "Prosecutor",
    SUPERVISOR: "Supervisor",
    NATIONAL_COORDINATOR: "National coordinator",
    AUDITOR: "Auditor (oversight)",
    ADMINISTRATOR: "Administrator",
}

NORMAL = "normal"
RESTRICTED = "restricted"
SECRET = "secret"
SENSITIVITIES = {NORMAL: "Normal", RESTRICTED: "Restricted", SECRET: "Secret"}
SENSITIVITY_RANK = {NORMAL: 0, RESTRICTED: 1, SECRET: 2}

# Roles that hold content of their own agency's records and may create and share them.
CASEWORK_ROLES = frozenset({ANALYST, INVESTIGATOR, CASE_MANAGER, PROSECUTOR, SUPERVISOR, NATIONAL_COORDINATOR, HOTLINE_OPERATOR})
# Roles that may reveal a person's identity (with a stated purpose, audited).
IDENTITY_REVEALING_ROLES = frozenset({INVESTIGATOR, CASE_MANAGER, PROSECUTOR, SUPERVISOR, ANALYST})
# Roles that read the audit trail: oversight for everyone, supervisors and administrators for their agency.
AUDIT_READING_ROLES = frozenset({AUDITOR, SUPERVISOR, ADMINISTRATOR})
SHARING_ROLES = frozenset({ANALYST, INVESTIGATOR, CASE_MANAGER, PROSECUTOR, SUPERVISOR})


def unknown_roles(roles: list[str]) -> list[str]:
    return [r for r in roles if r not in ROLES]


def clearance_allows(clearance: str, sensitivity: str) -> bool:
    return SENSITIVITY_RANK[clearance] >= SENSITIVITY_RANK[sensitivity]
