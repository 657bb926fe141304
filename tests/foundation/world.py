"""A small multi-agency world for visibility tests: three agencies (A and B in a task force, C outside),
users of every role, and one record of each type in every sharing state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from palermo.accounts import roles as R
from palermo.accounts.models import Agency, Compartment, TaskForce, User
from palermo.core import services
from palermo.core.models import Share

SHARING_STATES = (
    "own_normal",          # owned by A, normal, not shared
    "own_restricted",      # owned by A, restricted, not shared
    "own_secret_compartment",  # owned by A, secret, in compartment K (A's team leaders)
    "shared_agency_B",     # owned by A, shared to agency B
    "shared_task_force",   # owned by A, shared to the task force (A + B)
    "shared_compartment",  # owned by A, normal, shared into compartment K only
    "share_revoked",       # owned by A, shared to B, then revoked
    "share_expired",       # owned by A, shared to B, expired
    "restricted_shared_B", # owned by A, restricted, shared to B
    "owned_by_C",          # owned by C, not shared
)
RECORD_TYPES = ("person", "organisation", "case", "selector")


@dataclass
class World:
    agencies: dict[str, Agency] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    records: dict[tuple[str, str], object] = field(default_factory=dict)
    compartment: Compartment | None = None
    task_force: TaskForce | None = None


USER_SPECS = [
    # name, agency, roles, clearance, in compartment K
    ("a_operator", "A", [R.HOTLINE_OPERATOR], R.NORMAL, False),
    ("a_analyst", "A", [R.ANALYST], R.RESTRICTED, False),
    ("a_investigator", "A", [R.INVESTIGATOR], R.SECRET, False),
    ("a_leader", "A", [R.INVESTIGATOR], R.SECRET, True),
    ("a_casemanager", "A", [R.CASE_MANAGER], R.RESTRICTED, False),
    ("a_supervisor", "A", [R.SUPERVISOR], R.SECRET, True),
    ("a_admin", "A", [R.ADMINISTRATOR], R.NORMAL, False),
    ("b_investigator", "B", [R.INVESTIGATOR], R.RESTRICTED, False),
    ("b_prosecutor", "B", [R.PROSECUTOR], R.NORMAL, False),
    ("c_investigator", "C", [R.INVESTIGATOR], R.SECRET, False),
    ("c_coordinator", "C", [R.NATIONAL_COORDINATOR], R.RESTRICTED, False),
    ("o_auditor", "O", [R.AUDITOR], R.SECRET, False),
    ("o_admin", "O", [R.ADMINISTRATOR], R.SECRET, False),
]


def expected_visible(user_spec: tuple, state: str) -> bool:
    """The visibility rule restated independently of the code under test, from the fixture's plan."""
    _, agency, _, clearance, in_k = user_spec
    rank = R.SENSITIVITY_RANK[clearance]
    return {
        "own_normal": agency == "A",
        "own_restricted": agency == "A" and rank >= 1,
        "own_secret_compartment": in_k and rank >= 2,
        "shared_agency_B": agency in ("A", "B"),
        "shared_task_force": agency in ("A", "B"),
        "shared_compartment": agency == "A",
        "share_revoked": agency == "A",
        "share_expired": agency == "A",
        "restricted_shared_B": agency in ("A", "B") and rank >= 1,
        "owned_by_C": agency == "C",
    }[state]


def build_world() -> World:
    w = World()
    for code, country in (("A", "RO"), ("B", "IT"), ("C", "BG"), ("O", "BE")):
        w.agencies[code] = Agency.objects.create(code=f"agency-{code.lower()}", name=f"Agency {code}",
                                                 agency_type="LawEnforcement" if code != "O" else "OversightBody",
                                                 country=country)
    w.task_force = TaskForce.objects.create(code="tf-ab", name="Task force A+B")
    w.task_force.agencies.set([w.agencies["A"], w.agencies["B"]])
    for name, agency, roles, clearance, _ in USER_SPECS:
        w.users[name] = User.objects.create_user(name, password="not-used-in-tests-123", agency=w.agencies[agency],
                                                 roles=roles, clearance=clearance)
    w.compartment = Compartment.objects.create(name="K team leaders", owner_agency=w.agencies["A"])
    w.compartment.members.set([w.users[n] for n, *_, in_k in USER_SPECS if in_k])
    owner_a, owner_c = w.users["a_supervisor"], w.users["c_investigator"]
    for state in SHARING_STATES:
        owner = owner_c if state == "owned_by_C" else owner_a
        sensitivity = {"own_restricted": R.RESTRICTED, "restricted_shared_B": R.RESTRICTED,
                       "own_secret_compartment": R.SECRET}.get(state, R.NORMAL)
        compartment = w.compartment if state == "own_secret_compartment" else None
        for record_type in RECORD_TYPES:
            obj = _make(w, owner, record_type, state, sensitivity, compartment)
            w.records[(record_type, state)] = obj
            _share(w, owner, obj, state)
    return w


def _make(w: World, owner, record_type, state, sensitivity, compartment):
    base = {"sensitivity": sensitivity, "compartment": compartment}
    if record_type == "person":
        return services.create_person(owner, {**base, "given_name": f"Given {state}", "family_name": "Family"})
    if record_type == "organisation":
        return services.create_organisation(owner, {**base, "name": f"Org {state}", "org_type": "TravelAgency"})
    if record_type == "case":
        return services.create_case(owner, {**base, "reference": f"CASE-{state}", "title": f"Case {state}"})
    holder = w.records[("person", state)]  # persons are made first; the holder shares the selector's state
    number = f"+40 722 {SHARING_STATES.index(state):03d} 100"
    return services.add_selector(owner, holder, "phone", number, source="test fixture", sensitivity=sensitivity,
                                 compartment=compartment).selector


def _share(w: World, owner, obj, state):
    b = w.agencies["B"]
    if state in ("shared_agency_B", "share_revoked", "share_expired", "restricted_shared_B"):
        share = services.share(owner, obj, to_agency=b, purpose="test sharing", use_restrictions="no onward sharing")
        if state == "share_revoked":
            services.revoke_share(owner, share)
        if state == "share_expired":
            Share.objects.filter(pk=share.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    elif state == "shared_task_force":
        services.share(owner, obj, to_task_force=w.task_force, purpose="joint work")
    elif state == "shared_compartment":
        services.share(owner, obj, to_compartment=w.compartment, purpose="need to know")
