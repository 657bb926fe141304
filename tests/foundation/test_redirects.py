"""Open redirect (issue 9): `next=` after an action only ever leads back into Palermo."""

import pytest
from django.test import Client, RequestFactory

from palermo.core.redirects import redirect_to_next
from tests.foundation.world import build_world

pytestmark = pytest.mark.django_db

OFFSITE = ["https://evil.example/", "//evil.example", "http://evil.example/persons/", "///evil.example",
           "https:evil.example", "/\\evil.example", " //evil.example"]


@pytest.fixture
def world():
    return build_world()


@pytest.mark.parametrize("target", OFFSITE)
def test_sharing_never_follows_next_to_another_site(world, target):
    client = Client()
    client.force_login(world.users["a_supervisor"])
    person = world.records[("person", "own_normal")]
    response = client.post(f"/share/person/{person.pk}/", {"recipient": f"agency:{world.agencies['C'].pk}",
                                                            "purpose": "joint investigation", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_sharing_returns_to_the_page_it_came_from(world):
    client = Client()
    client.force_login(world.users["a_supervisor"])
    person = world.records[("person", "own_normal")]
    response = client.post(f"/share/person/{person.pk}/", {"recipient": f"agency:{world.agencies['C'].pk}",
                                                            "purpose": "joint investigation",
                                                            "next": f"/persons/{person.pk}/"})
    assert response["Location"] == f"/persons/{person.pk}/"


@pytest.mark.parametrize("target", OFFSITE)
def test_the_helper_refuses_other_sites_from_get_and_post(target):
    factory = RequestFactory()
    assert redirect_to_next(factory.post("/x/", {"next": target}), "home")["Location"] == "/"
    assert redirect_to_next(factory.get("/x/", {"next": target}), "home")["Location"] == "/"
