"""The grant rule on its own (palermo/accounts/grants.py, plain Python): grants are bounded by the granter."""

import pytest

from palermo.accounts import grants as G
from palermo.accounts import roles as R

POLICE, OVERSIGHT, OTHER_POLICE = 1, 2, 3


def actor(roles=(R.ADMINISTRATOR,), clearance=R.NORMAL, agency=POLICE, oversight=False, platform=False, user_id=10):
    return G.Actor(user_id=user_id, agency_id=agency, agency_is_oversight=oversight, roles=frozenset(roles),
                   clearance=clearance, platform_admin=platform)


def target(agency=POLICE, oversight=False, user_id=None):
    return G.Target(user_id=user_id, agency_id=agency, agency_is_oversight=oversight)


def holding(roles, clearance=R.NORMAL, active=True):
    return G.Holding(roles=frozenset(roles), clearance=clearance, is_active=active)


def reasons(refusals):
    return {(r.field, r.reason, r.subject) for r in refusals}


def test_agency_administrator_grants_casework_roles_in_its_own_agency():
    assert G.refusals(actor(), target(), None, holding([R.INVESTIGATOR, R.ADMINISTRATOR])) == []


def test_agency_administrator_may_not_create_an_auditor():
    assert reasons(G.refusals(actor(), target(), None, holding([R.AUDITOR]))) == {
        ("roles", G.ROLE_NOT_GRANTABLE, R.AUDITOR)}


def test_nobody_changes_their_own_roles_clearance_or_status():
    me = actor(roles=(R.ADMINISTRATOR,), user_id=10)
    before = holding([R.ADMINISTRATOR])
    for after in (holding([R.ADMINISTRATOR, R.AUDITOR]), holding([R.ADMINISTRATOR, R.ANALYST]),
                  holding([R.ADMINISTRATOR], clearance=R.SECRET), holding([R.ADMINISTRATOR], active=False)):
        assert (G.OWN_ACCOUNT in {r.reason for r in G.refusals(me, target(user_id=10), before, after)}), after
    root = actor(platform=True, user_id=1)
    assert G.OWN_ACCOUNT in {r.reason for r in G.refusals(root, target(user_id=1), before,
                                                           holding([R.ADMINISTRATOR], clearance=R.SECRET))}


def test_saving_oneself_unchanged_is_not_a_grant():
    me = actor(user_id=10)
    assert G.refusals(me, target(user_id=10), holding([R.ADMINISTRATOR]), holding([R.ADMINISTRATOR])) == []


def test_clearance_granted_never_exceeds_the_granters():
    assert reasons(G.refusals(actor(clearance=R.NORMAL), target(), None, holding([R.ANALYST], R.RESTRICTED))) == {
        ("clearance", G.CLEARANCE_ABOVE_OWN, R.RESTRICTED)}
    assert G.refusals(actor(clearance=R.SECRET), target(), None, holding([R.ANALYST], R.SECRET)) == []
    # A user already cleared above the administrator keeps that clearance when only the roles change…
    assert G.refusals(actor(clearance=R.NORMAL), target(user_id=5), holding([R.ANALYST], R.SECRET),
                      holding([R.ANALYST, R.SUPERVISOR], R.SECRET)) == []
    # …and may be lowered to what the administrator holds, but not to anything in between.
    assert G.refusals(actor(clearance=R.NORMAL), target(user_id=5), holding([R.ANALYST], R.SECRET),
                      holding([R.ANALYST], R.NORMAL)) == []
    assert G.refusals(actor(clearance=R.NORMAL), target(user_id=5), holding([R.ANALYST], R.SECRET),
                      holding([R.ANALYST], R.RESTRICTED)) != []


def test_administrators_manage_their_own_agency_only():
    assert reasons(G.refusals(actor(), target(agency=OTHER_POLICE), None, holding([R.ANALYST]))) == {
        ("user", G.OTHER_AGENCY, "")}


def test_users_without_the_administrator_role_grant_nothing():
    refused = G.refusals(actor(roles=(R.SUPERVISOR,), clearance=R.SECRET), target(), None, holding([R.ANALYST]))
    assert ("user", G.NOT_ADMINISTRATOR, "") in reasons(refused)


def test_only_the_oversight_bodys_administrator_grants_oversight_roles():
    oversight_admin = actor(agency=OVERSIGHT, oversight=True)
    assert G.refusals(oversight_admin, target(agency=OVERSIGHT, oversight=True), None, holding([R.AUDITOR])) == []
    # …not in another agency, and it does not hand out casework roles.
    assert G.refusals(oversight_admin, target(agency=POLICE), None, holding([R.AUDITOR])) != []
    assert reasons(G.refusals(oversight_admin, target(agency=OVERSIGHT, oversight=True), None,
                              holding([R.INVESTIGATOR]))) == {("roles", G.ROLE_NOT_GRANTABLE, R.INVESTIGATOR)}
    # The platform superuser sets agencies up but never grants oversight roles, wherever it sits.
    root = actor(roles=(R.ADMINISTRATOR,), platform=True, agency=POLICE, user_id=1)
    assert G.refusals(root, target(agency=OVERSIGHT, oversight=True), None, holding([R.AUDITOR])) != []


def test_revoking_or_deactivating_is_bounded_like_granting():
    auditor_before = holding([R.AUDITOR])
    root = actor(platform=True, user_id=1)
    oversight_user = target(agency=OVERSIGHT, oversight=True, user_id=7)
    assert reasons(G.refusals(root, oversight_user, auditor_before, holding([]))) >= {
        ("roles", G.ROLE_NOT_GRANTABLE, R.AUDITOR)}
    assert G.refusals(root, oversight_user, auditor_before, holding([R.AUDITOR], active=False)) != []
    oversight_admin = actor(agency=OVERSIGHT, oversight=True, user_id=8)
    assert G.refusals(oversight_admin, oversight_user, auditor_before, holding([R.AUDITOR], active=False)) == []


def test_the_platform_superuser_sets_up_any_agency():
    root = actor(roles=(), platform=True, agency=None, user_id=1)
    assert G.refusals(root, target(agency=OVERSIGHT, oversight=True), None, holding([R.ADMINISTRATOR])) == []
    assert G.refusals(root, target(agency=OTHER_POLICE), None, holding([R.ADMINISTRATOR], R.SECRET)) == []


@pytest.mark.parametrize("role", sorted(R.ROLES))
def test_every_role_has_a_row_in_the_table(role):
    assert role in G.ROLE_GRANTERS


def test_changes_name_each_grant_and_revocation():
    before, after = holding([R.ANALYST, R.SUPERVISOR], R.NORMAL), holding([R.ANALYST, R.INVESTIGATOR], R.RESTRICTED)
    assert G.changes(before, after) == [("grant_role", R.INVESTIGATOR), ("revoke_role", R.SUPERVISOR),
                                        ("change_clearance", R.RESTRICTED)]
    assert G.changes(after, holding(after.roles, after.clearance, active=False)) == [("deactivate_user", "")]
    assert G.changes(None, after) == [("create_user", "")]
    assert G.changes(after, after) == []


def test_forms_offer_only_what_the_granter_may_grant():
    assert G.grantable_roles(actor(), target()) == frozenset(R.ROLES) - {R.AUDITOR}
    assert G.grantable_roles(actor(agency=OVERSIGHT, oversight=True), target(agency=OVERSIGHT, oversight=True)) == {
        R.AUDITOR, R.ADMINISTRATOR}
    assert G.grantable_clearances(actor(clearance=R.RESTRICTED)) == [R.NORMAL, R.RESTRICTED]
    assert G.grantable_clearances(actor(platform=True)) == [R.NORMAL, R.RESTRICTED, R.SECRET]
