"""Paths a member of the public is told about work without a login."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_report_path_leads_to_the_public_report_form():
    response = Client().get("/report?lang=ro", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == "/intake/report?lang=ro"


def test_private_pages_need_a_login():
    for url in ("/", "/cases/", "/persons/", "/selectors/", "/audit/"):
        assert Client().get(url).status_code == 302, url
