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


def test_missing_and_forbidden_pages_keep_the_menu(django_user_model):
    from palermo.accounts.models import Agency

    agency = Agency.objects.create(code="x", name="X", agency_type="NGO", country="RO")
    user = django_user_model.objects.create_user("u", password="x" * 12, agency=agency, roles=["analyst"])
    client = Client()
    client.force_login(user)
    missing = client.get("/persons/999999/")
    assert missing.status_code == 404 and "has not been shared with you" in missing.content.decode()
    forbidden = client.get("/audit/")
    assert forbidden.status_code == 403 and "does not read the audit trail" in forbidden.content.decode()
    assert "My queue" in forbidden.content.decode()
