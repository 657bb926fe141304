"""Keyset pagination: following cursors visits every visible row once, in the list's order, forwards and
backwards, on the API and the UI pager; limit/offset keep working; a bad cursor is a field error."""

import re
from datetime import date
from html import unescape

import pytest
from django.test import Client

from palermo.accounts.models import ApiToken
from palermo.audit.selectors import entries_for
from palermo.core import keyset, services
from palermo.core import visibility as V
from tests.foundation.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = build_world()
    owner = w.users["a_supervisor"]
    for n in range(23):
        services.create_person(owner, {"given_name": f"Paged {n}", "family_name": "Person"})
        # several cases opened on the same day: the reference breaks the tie
        services.create_case(owner, {"reference": f"PAGE-{n:02d}", "title": f"Paged case {n}",
                                     "opened_on": date(2026, 1, 1 + n % 4)})
    return w


def _api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user, 'test')[1]}")


def _walk(api, path, limit, **params):
    pages, cursor = [], None
    while True:
        body = api.get(path, {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}).json()
        pages.append(body)
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


def _offset_walk(api, path, limit, count):
    return [item for offset in range(0, count, limit)
            for item in api.get(path, {"limit": limit, "offset": offset}).json()["items"]]


@pytest.mark.parametrize("username", ["a_supervisor", "b_investigator", "c_investigator", "a_operator"])
@pytest.mark.parametrize("path", ["/api/persons", "/api/cases", "/api/organisations"])
def test_cursor_walk_matches_offset_walk_and_the_visible_set(world, username, path):
    user = world.users[username]
    api = _api(user)
    pages = _walk(api, path, 5)
    ids = [item["id"] for page in pages for item in page["items"]]
    count = pages[0]["count"]
    assert len(ids) == len(set(ids)) == count
    assert ids == [item["id"] for item in _offset_walk(api, path, 5, count)]
    model_rows = {"/api/persons": V.persons, "/api/cases": V.cases, "/api/organisations": V.organisations}[path](user)
    assert set(ids) == set(model_rows.values_list("pk", flat=True))


def test_previous_cursor_walks_back_through_the_same_pages(world):
    api = _api(world.users["a_supervisor"])
    forward = _walk(api, "/api/cases", 4)
    assert len(forward) >= 3 and forward[0]["previous_cursor"] is None
    cursor, backward = forward[-1]["previous_cursor"], []
    while cursor:
        body = api.get("/api/cases", {"limit": 4, "cursor": cursor}).json()
        backward.append([item["id"] for item in body["items"]])
        cursor = body["previous_cursor"]
    assert backward[::-1] == [[item["id"] for item in page["items"]] for page in forward[:-1]]


def test_an_offset_page_hands_over_to_cursors(world):
    api = _api(world.users["a_supervisor"])
    everything = [p["id"] for p in _offset_walk(api, "/api/persons", 50, 500)]
    body = api.get("/api/persons", {"limit": 5, "offset": 7}).json()
    after = api.get("/api/persons", {"limit": 5, "cursor": body["next_cursor"]}).json()
    assert [p["id"] for p in body["items"] + after["items"]] == everything[7:17]


def test_bad_cursor_and_cursor_with_offset_are_field_errors(world):
    api = _api(world.users["a_supervisor"])
    for cursor in ("not-a-cursor", "eyJrIjpbMSwyXSwiYiI6ZmFsc2V9", "W10", "%00"):
        response = api.get("/api/persons", {"cursor": cursor})
        assert response.status_code == 400, cursor
        assert response.json()["detail"][0]["loc"][-1] == "cursor"
    forged = {"/api/audit/entries": ["not a number"], "/api/cases": ["not a date", "REF"],
              "/api/persons": ["nul\x00byte"], "/api/organisations": [["a"], 1]}
    for path, key in forged.items():
        auditor = _api(world.users["o_auditor"]) if "audit" in path else api
        response = auditor.get(path, {"cursor": keyset.encode(key)})
        assert response.status_code == 400, (path, response.content)
    good = api.get("/api/persons", {"limit": 2}).json()["next_cursor"]
    response = api.get("/api/persons", {"cursor": good, "offset": 3})
    assert response.status_code == 400 and response.json()["detail"][0]["loc"][-1] == "offset"


def test_audit_entries_follow_cursors_newest_first(world):
    auditor = world.users["o_auditor"]
    api = _api(auditor)
    seqs = [e["seq"] for page in _walk(api, "/api/audit/entries", 7) for e in page["items"]]
    assert seqs == sorted(entries_for(auditor).values_list("seq", flat=True), reverse=True)


def test_ui_pager_next_links_visit_every_visible_person_once(world):
    user = world.users["a_supervisor"]
    browser = Client()
    browser.force_login(user)
    seen, url = [], "/persons/"
    while url:
        html = browser.get(url).content.decode()
        seen += re.findall(r'href="/persons/(\d+)/"', html)
        found = re.search(r'<a href="(\?[^"]*)">next', html)
        url = "/persons/" + unescape(found.group(1)) if found else None
    assert len(seen) == len(set(seen))
    assert {int(pk) for pk in seen} == set(V.persons(user).values_list("pk", flat=True))
    assert f"{V.persons(user).count()} in all" in browser.get("/persons/").content.decode()
    assert browser.get("/persons/?cursor=garbage").status_code == 200


def test_page_totals_stop_at_the_cap_and_say_so(world, monkeypatch):
    from palermo.core import selectors as S
    from palermo.ui import views

    user = world.users["a_supervisor"]
    visible = V.persons(user).count()
    assert str(S.capped_count(V.persons(user), visible)) == str(visible)
    assert str(S.capped_count(V.persons(user), 5)) == "5+"
    monkeypatch.setattr(views, "PAGER_COUNT_CAP", 10)
    browser = Client()
    browser.force_login(user)
    assert "10+ in all" in browser.get("/persons/").content.decode()
