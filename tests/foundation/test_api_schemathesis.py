"""schemathesis over the whole API as several roles (a bounded run; bench/schemathesis_run.py is the long
one): no response is a server error and none breaks the published schema."""

import pytest

from palermo.accounts.models import ApiToken
from tests.api_fuzz import fuzz
from tests.foundation.world import build_world

pytestmark = pytest.mark.django_db

ROLES = ("a_investigator", "a_supervisor", "a_admin", "b_prosecutor")


def test_no_server_error_and_no_schema_violation_for_any_role():
    world = build_world()
    tokens = {name: ApiToken.issue(world.users[name], "schemathesis")[1] for name in ROLES}
    result = fuzz(tokens, max_examples=2)
    assert result.requests > 48 * len(ROLES) * 2
    assert result.failures == [], "\n".join(result.failures[:20])
    assert result.server_errors == 0
