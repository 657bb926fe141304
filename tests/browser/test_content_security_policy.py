"""The pages work under the Content-Security-Policy: a real browser loads the main pages of each part
of Palermo (the network graph with Cytoscape, the API documentation, the public report form), the
browser reports no CSP violation, and an HTMX interaction still swaps content in place."""

import os
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from palermo.demo import scenario
from tests.browser_support import log_in, page_on

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    return scenario.load()


@pytest.fixture
def page_and_violations(live_server):
    with page_on(live_server.url) as page:
        violations = []
        page.on("console", lambda message: violations.append(message.text)
                if "Content Security Policy" in message.text else None)
        # Also what the page itself sees (securitypolicyviolation events), in case the console is quiet.
        page.add_init_script("""document.addEventListener('securitypolicyviolation', e => {
            (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI); });""")
        yield page, violations


def visit(page, path: str) -> list[str]:
    response = page.goto(path)
    assert response.status == 200, path
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__csp || []")


def test_main_pages_load_without_csp_violations_and_htmx_still_swaps(page_and_violations, world):
    page, violations = page_and_violations
    victim = world.persons["woman0"]
    seen = {path: visit(page, path) for path in [reverse("intake:report"), "/api/docs"]}

    log_in(page, "ro.investigator")
    for path in [reverse("home"), reverse("case_list"), reverse("case_detail", args=[world.cases["ro_network"].pk]),
                 reverse("person_list"), reverse("person_detail", args=[victim.pk]), reverse("selector_search"),
                 reverse("intake:queue"), reverse("protection:index"), reverse("intel:alerts"),
                 reverse("intel:operations"), reverse("agency_list"), reverse("intel:graph")]:
        seen[path] = visit(page, path)
    expect(page.locator("#cy canvas").first).to_be_visible()  # Cytoscape drew the network graph

    # HTMX under the policy: revealing an identity swaps the panel in place, without navigating.
    page.goto(reverse("person_detail", args=[victim.pk]))
    page.get_by_label("Purpose of revealing the identity").fill("Checking the policy does not break HTMX")
    page.get_by_role("button", name="Reveal identity").click()
    expect(page.locator("#identity [data-field=name]")).to_have_text(f"{victim.given_name} {victim.family_name}")
    expect(page).to_have_url(re.compile(rf"/persons/{victim.pk}/$"))
    seen["reveal"] = page.evaluate("window.__csp || []")

    assert violations == []
    assert {path: found for path, found in seen.items() if found} == {}


def test_newer_pages_load_without_csp_violations(page_and_violations, world):
    """Pages added with the worker, grants, deconfliction report, cooperation requests and the TRM (whose
    adherence timeline is an SVG drawn with attributes, not inline styles)."""
    page, violations = page_and_violations
    log_in(page, "ngo.casemanager")
    seen = {path: visit(page, path) for path in [
        reverse("account_security"), reverse("referral:index"), reverse("referral:directory"),
        reverse("cooperation:requests"), reverse("referral:person", args=[world.persons["ngo_woman0"].pk])]}
    expect(page.locator("svg.sop-chart rect.bar").first).to_be_visible()
    page.context.clear_cookies()
    log_in(page, "ro.supervisor")
    for path in [reverse("intel:deconfliction_report"), reverse("intel:resolution")]:
        seen[path] = visit(page, path)
    page.context.clear_cookies()
    log_in(page, "ro.admin")
    seen[reverse("user_admin")] = visit(page, reverse("user_admin"))
    page.context.clear_cookies()
    log_in(page, "oversight.auditor")
    for path in [reverse("grant_history"), reverse("audit_trail")]:
        seen[path] = visit(page, path)
    assert violations == []
    assert {path: found for path, found in seen.items() if found} == {}
