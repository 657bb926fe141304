"""End to end in a real browser, the demo story of the protection issue: the NGO's case manager screens
a worker from the Foggia labour case to "presumed victim" and sees why, records consent, refers him to a
shelter that accepts, tries to record a deportation and sees it refused with the reason; the national
coordinator's report then shows the refused attempt."""

import os
import re

import pytest
from playwright.sync_api import expect

from palermo.protection.models import ServiceProvider
from tests.browser_support import log_in, page_on

from .conftest import PRESUMED_LABOUR, demo_world_with_protection_only

# Playwright's sync API runs an event loop in this thread; the ORM calls here are plain synchronous ones.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

@pytest.fixture
def page(live_server):
    with page_on(live_server.url) as opened:
        yield opened


def test_screen_consent_refer_and_refused_deportation_reaches_the_coordinator(page):
    world = demo_world_with_protection_only()
    worker = world.persons["worker0"]
    shelter = ServiceProvider.objects.get(kind="shelter", owner_agency__code="ro-ngo-shelter")

    log_in(page, "ngo.casemanager")
    page.get_by_role("link", name="Protection", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Protection")
    assert worker.family_name not in page.content()
    page.get_by_role("link", name=worker.pseudonym).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(worker.pseudonym)

    for code in PRESUMED_LABOUR:
        page.locator(f'input[name="indicators"][value="{code}"]').check()
    page.get_by_role("button", name="Screen", exact=True).click()
    result = page.locator("#screening-result")
    expect(result).to_contain_text("Presumed victim")
    expect(result).to_contain_text("Coercion at destination: positive")
    expect(result).to_contain_text("Deceived about the nature of the job")
    expect(page.locator("#identification-status")).to_have_text("presumed victim")

    page.get_by_label("Jurisdiction rule").select_option("COE")
    page.get_by_label("Starts on").fill("2026-11-02")
    page.get_by_role("button", name="Start reflection period").click()
    expect(page.locator("#reflection")).to_contain_text("do not depend on the person's cooperation")

    page.get_by_label("Provider (accepting referrals)").select_option(str(shelter.pk))
    page.get_by_role("button", name="Refer", exact=True).click()
    expect(page.locator("#refer .errors")).to_contain_text("No consent to referral to services is recorded")

    page.get_by_label("Purpose", exact=True).select_option("referral_to_services")
    page.get_by_label("How").select_option("oral")
    page.get_by_label("Language in which it was explained").fill("ro")
    page.get_by_role("button", name="Record consent").click()
    expect(page.locator("#consent table")).to_contain_text("referral to services")

    page.get_by_label("Provider (accepting referrals)").select_option(str(shelter.pk))
    page.get_by_role("button", name="Refer", exact=True).click()
    expect(page.locator("#refer table")).to_contain_text("Casa Aurora Shelter")
    page.locator("#refer table select[name=status]").select_option("accepted")
    page.get_by_role("button", name="Update referral").click()
    expect(page.locator("#refer .referral-status")).to_have_text("Accepted")

    page.get_by_label("Measure", exact=True).select_option("removal")
    page.get_by_role("button", name="Record measure").click()
    expect(page.locator(".messages .error")).to_contain_text(
        "Refused: removal or deportation may not be recorded while the person is a presumed victim")
    expect(page.locator("#measure .measure-outcome")).to_have_text("refused")

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    log_in(page, "ro.coordinator")
    page.get_by_role("link", name="Non-punishment report").click()
    page.get_by_label("Purpose").fill("monthly review of refused measures")
    page.get_by_role("button", name="Open the report").click()
    expect(page.locator("#count-refused")).to_have_text("1")
    expect(page.locator("table")).to_contain_text("Casa Aurora Shelter (NGO)")
    expect(page.locator("table")).to_contain_text("removal or deportation")
    assert worker.pseudonym not in page.content()
