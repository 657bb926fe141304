"""Roles × record types × sharing states × endpoints: nothing leaks, nothing visible is hidden.

Each test logs in as one user of the world (tests/foundation/world.py) and asks every endpoint —
API list, API detail, UI detail, UI list, counts, CSV export, selector search — for every record.
"""

import csv
import io
import re

import pytest
from django.test import Client

from palermo.accounts.models import ApiToken
from tests.foundation.world import RECORD_TYPES, SHARING_STATES, USER_SPECS, build_world, expected_visible

pytestmark = pytest.mark.django_db

API_LIST = {"person": "/api/persons", "organisation": "/api/organisations", "case": "/api/cases"}
API_DETAIL = {"person": "/api/persons/{}", "organisation": "/api/organisations/{}", "case": "/api/cases/{}"}
UI_DETAIL = {"person": "/persons/{}/", "organisation": "/organisations/{}/", "case": "/cases/{}/"}


@pytest.fixture
def world():
    return build_world()


def _expected(spec, record_type, world):
    return {world.records[(record_type, s)].pk for s in SHARING_STATES if expected_visible(spec, s)}


@pytest.mark.parametrize("spec", USER_SPECS, ids=[s[0] for s in USER_SPECS])
def test_every_endpoint_shows_exactly_what_the_rule_allows(world, spec):
    user = world.users[spec[0]]
    _, raw_token = ApiToken.issue(user, "matrix")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw_token}")
    ui = Client()
    ui.force_login(user)
    leaks, hidden = [], []

    def check(endpoint, record_type, seen: set[int]):
        expected = _expected(spec, record_type, world)
        for state in SHARING_STATES:
            pk = world.records[(record_type, state)].pk
            if pk in seen and pk not in expected:
                leaks.append(f"{endpoint} {record_type} {state}")
            if pk in expected and pk not in seen:
                hidden.append(f"{endpoint} {record_type} {state}")

    for record_type, url in API_LIST.items():
        body = api.get(url, {"limit": 500}).json()
        check("api-list", record_type, {item["id"] for item in body["items"]})
        assert body["count"] == len(_expected(spec, record_type, world)), f"api-list count of {record_type}"
    for record_type, url in API_DETAIL.items():
        seen = set()
        for state in SHARING_STATES:
            pk = world.records[(record_type, state)].pk
            status = api.get(url.format(pk)).status_code
            assert status in (200, 404), f"{url.format(pk)} gave {status}"
            if status == 200:
                seen.add(pk)
        check("api-detail", record_type, seen)
    for record_type, url in UI_DETAIL.items():
        seen = set()
        for state in SHARING_STATES:
            pk = world.records[(record_type, state)].pk
            status = ui.get(url.format(pk)).status_code
            assert status in (200, 404)
            if status == 200:
                seen.add(pk)
        check("ui-detail", record_type, seen)

    page = ui.get("/persons/").content.decode()
    check("ui-list", "person", {p.pk for p in [world.records[("person", s)] for s in SHARING_STATES]
                                if p.pseudonym in page})
    page = ui.get("/cases/").content.decode()
    check("ui-list", "case", {c.pk for c in [world.records[("case", s)] for s in SHARING_STATES]
                              if re.search(rf">{re.escape(c.reference)}<", page)})

    counts = api.get("/api/counts").json()
    for record_type in RECORD_TYPES:
        assert counts[f"{record_type}s"] == len(_expected(spec, record_type, world)), f"count of {record_type}s"
    home = ui.get("/").content.decode()
    for record_type in RECORD_TYPES:
        shown = int(re.search(rf'data-count="{record_type}s">(\d+)<', home).group(1))
        assert shown == len(_expected(spec, record_type, world)), f"home count of {record_type}s"

    purpose = {"purpose": "statistics for the steering group"}
    exported = list(csv.DictReader(io.StringIO(
        api.post("/api/export/cases.csv", purpose, content_type="application/json").content.decode())))
    references = {row["reference"] for row in exported}
    check("export", "case", {world.records[("case", s)].pk for s in SHARING_STATES
                             if world.records[("case", s)].reference in references})

    exported = list(csv.DictReader(io.StringIO(ui.post("/persons/export.csv", purpose).content.decode())))
    pseudonyms = {row["pseudonym"] for row in exported}
    check("export", "person", {world.records[("person", s)].pk for s in SHARING_STATES
                               if world.records[("person", s)].pseudonym in pseudonyms})
    assert not any("Given" in line for line in ui.post("/persons/export.csv", purpose).content.decode().splitlines())

    seen = set()
    for state in SHARING_STATES:
        selector = world.records[("selector", state)]
        body = api.get("/api/selectors/search", {"kind": "phone", "value": selector.value}).json()
        if body["hits"]:
            seen.add(selector.pk)
    check("selector-search", "selector", seen)

    assert not leaks, f"{spec[0]} sees what it must not: {leaks}"
    assert not hidden, f"{spec[0]} misses what it may see: {hidden}"


def test_the_matrix_is_not_trivial():
    """The plan must contain both visible and invisible cells for most users, or the matrix proves nothing."""
    for spec in USER_SPECS:
        visible = [s for s in SHARING_STATES if expected_visible(spec, s)]
        if spec[1] in ("A", "B", "C"):
            assert visible and len(visible) < len(SHARING_STATES), spec[0]
