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


def test_api_docs_are_served_without_a_cdn():
    page = Client().get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn.jsdelivr" not in page and "unpkg" not in page
