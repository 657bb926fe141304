"""End to end in a real browser: an investigator reveals a presumed victim's identity for a stated
purpose, an oversight auditor finds that reveal in the audit trail, and an agency the record was never
shared with gets a 404 for the same person."""

import os
import re

import pytest
from playwright.sync_api import Page, expect

from palermo.demo import scenario
from tests.browser_support import log_in, page_on

# Playwright's sync API runs an event loop in this thread; the ORM calls here are plain synchronous ones.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PURPOSE = "Preparing the victim interview for case RO-ATU-2026-014"


@pytest.fixture
def page(live_server):
    with page_on(live_server.url) as opened:
        yield opened


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))


def test_reveal_is_audited_and_found_by_oversight_and_hidden_from_other_agencies(page, tmp_path):
    world = scenario.load()
    victim = world.persons["woman0"]
    assert victim.roles.filter(role="PresumedVictim").exists()
    full_name = f"{victim.given_name} {victim.family_name}"

    log_in(page, "ro.investigator")
    page.goto(f"/persons/{victim.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(victim.pseudonym)
    identity = page.locator("#identity")
    expect(identity).to_contain_text("The identity is hidden")
    assert victim.family_name not in page.content()
    page.screenshot(path=tmp_path / "0-identity-hidden.png", full_page=True)

    page.get_by_label("Purpose of revealing the identity").fill(PURPOSE)
    page.get_by_role("button", name="Reveal identity").click()
    expect(identity.locator("[data-field=name]")).to_have_text(full_name)
    expect(page).to_have_url(re.compile(rf"/persons/{victim.pk}/$"))  # swapped in place, no navigation
    page.screenshot(path=tmp_path / "1-identity-revealed.png", full_page=True)
    log_out(page)

    log_in(page, "oversight.auditor")
    page.goto("/audit/")
    page.get_by_label("Object (pseudonym or reference)").fill(victim.pseudonym)
    page.get_by_label("Action").fill("reveal_identity")
    page.get_by_role("button", name="Filter").click()
    reveal_row = page.locator("tbody tr", has_text=PURPOSE)
    expect(reveal_row).to_have_count(1)
    expect(reveal_row).to_contain_text("ro.investigator")
    expect(reveal_row).to_contain_text("ro-police-atu")
    expect(reveal_row).to_contain_text(victim.pseudonym)
    page.screenshot(path=tmp_path / "2-audit-filtered.png", full_page=True)

    reveal_row.get_by_role("link", name="who viewed").click()
    expect(page).to_have_url(re.compile(rf"who_viewed=1.*object_id={victim.pk}"))
    viewers = page.locator("tbody tr")
    expect(viewers).to_have_count(1)
    expect(viewers).to_contain_text("reveal_identity")
    expect(viewers).to_contain_text(PURPOSE)
    assert victim.family_name not in page.content()  # the auditor learns who looked, not what they saw
    page.screenshot(path=tmp_path / "2b-who-viewed.png", full_page=True)

    page.get_by_role("button", name="Verify the whole chain").click()
    expect(page.get_by_role("status")).to_contain_text("Chain intact")
    page.screenshot(path=tmp_path / "3-audit-verified.png", full_page=True)
    log_out(page)

    log_in(page, "it.inspector")
    response = page.goto(f"/persons/{victim.pk}/")
    assert response.status == 404
    assert victim.pseudonym not in page.content()
    page.screenshot(path=tmp_path / "4-other-agency-404.png", full_page=True)
