"""SQL statements per request for the main pages and API lists, locked in: a page that starts reading per
row (N + 1) or recomputing per request what it read once fails here before it shows up under load
(docs/benchmarks/load.md). The counts do not depend on how many rows the viewer sees."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from palermo.accounts.models import ApiToken
from palermo.core import services
from tests.foundation.world import build_world

pytestmark = pytest.mark.django_db

# session, user, then the page's own reads
PAGES = {
    "/": 10,
    "/persons/": 5,
    "/cases/": 5,
    "/persons/{person}/": 10,
    "/cases/{case}/": 11,
    "/selectors/?kind=phone&value=%2B40722000100": 5,
}
# token, the address's failed-token count (sign-in throttling), then count and page (ninja's pagination)
API = {
    "/api/persons": 4,
    "/api/cases": 4,
    "/api/cases/{case}": 6,
    "/api/selectors/search?kind=phone&value=%2B40722000100": 4,
}
# The audit views check need-to-know once per kind of record on the page (not per entry): at most this many.
AUDIT_CEILINGS = {"/audit/": 9, "/api/audit/entries": 8}


@pytest.fixture(params=[0, 30], ids=["world", "world+30 records"])
def world(request):
    w = build_world()
    owner = w.users["a_supervisor"]
    for n in range(request.param):
        services.create_person(owner, {"given_name": f"Extra {n}", "family_name": "Person"})
        services.create_case(owner, {"reference": f"EXTRA-{n}", "title": f"Extra case {n}"})
    return w


def _statements(client, url) -> int:
    client.get(url)  # content types and other process-wide caches are warm in a running server
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def test_pages_and_api_lists_use_a_fixed_number_of_statements(world):
    user = world.users["a_supervisor"]
    browser = Client()
    browser.force_login(user)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user, 'test')[1]}")
    ids = {"person": world.records[("person", "own_normal")].pk, "case": world.records[("case", "own_normal")].pk}
    found = {url: _statements(browser, url.format(**ids)) for url in PAGES}
    found |= {url: _statements(api, url.format(**ids)) for url in API}
    assert found == PAGES | API
    audit = {"/audit/": _statements(browser, "/audit/"), "/api/audit/entries": _statements(api, "/api/audit/entries")}
    assert all(audit[url] <= ceiling for url, ceiling in AUDIT_CEILINGS.items()), audit
