"""An analyst opens the demo network's graph, finds the document forger among the critical nodes with the
reason, and sees the deconfliction alert between the Romanian and the Milan police."""

import os

import pytest
from playwright.sync_api import expect

from palermo.demo import scenario
from tests.browser_support import log_in, page_on

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def test_analyst_sees_forger_as_critical_and_a_deconfliction_alert(live_server):
    world = scenario.load()
    forger = world.persons["forger"].pseudonym
    with page_on(live_server.url) as page:
        log_in(page, "ro.analyst")
        page.get_by_role("link", name="Network").click()
        row = page.locator("#critical-nodes tr", has_text=forger)
        expect(row).to_contain_text("substantive role: Document forger")
        expect(row).to_contain_text("Substantive role")
        page.wait_for_function("document.querySelector('#cy canvas') !== null")
        row.click()
        expect(page.locator("#node-details")).to_contain_text(f"{forger} (person)")
        expect(page.locator("#node-details")).to_contain_text("Why critical: ")
        page.get_by_role("link", name="Deconfliction").click()
        alert = page.locator("tr.deconfliction-alert", has_text="Police — Flying Squad Milan")
        expect(alert).to_contain_text(world.agencies["it-police-milan"].contact_point)
        expect(alert).to_contain_text(forger)


def test_reviewer_reveals_one_person_of_a_proposed_merge_for_a_purpose(live_server):
    world = scenario.load()
    left, right = sorted((world.persons["woman0"], world.persons["ngo_woman0"]), key=lambda p: p.pk)
    with page_on(live_server.url) as page:
        log_in(page, "ro.analyst")
        page.get_by_role("link", name="Entity resolution").click()
        card = page.locator(".proposal", has_text=left.pseudonym).filter(has_text=right.pseudonym)
        expect(card).to_contain_text("date of birth")
        assert left.family_name not in page.content()
        left_identity = card.get_by_role("region", name=f"Identity of {left.pseudonym}")
        left_identity.get_by_label("Purpose of revealing the identity").fill("compare before deciding the merge")
        left_identity.get_by_role("button", name="Reveal identity").click()
        expect(left_identity.locator("[data-field=name]")).to_have_text(f"{left.given_name} {left.family_name}")
        expect(card.get_by_role("region", name=f"Identity of {right.pseudonym}")).to_contain_text(
            "The identity is hidden")
