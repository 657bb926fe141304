"""End to end in a real browser: an investigator whose agency requires a second factor is taken to
enrolment right after the password, scans (here: reads) the key, confirms with a real TOTP code, keeps
the recovery codes, and at the next sign-in passes the verification step."""

import os
import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from palermo.accounts import roles as R
from palermo.accounts.models import Agency, User
from tests.browser_support import page_on

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _password_step(page, username):
    page.goto("/login/?next=/persons/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_enrolment_then_verification_with_real_codes(live_server, tmp_path):
    agency = Agency.objects.create(code="ro-police", name="Poliția", agency_type="LawEnforcement", country="RO")
    User.objects.create_user("ana", password=PASSWORD, agency=agency, roles=[R.INVESTIGATOR])
    with page_on(live_server.url) as page:
        _password_step(page, "ana")
        expect(page).to_have_url(re.compile(r"/login/enrol/$"))
        expect(page.locator(".qr svg")).to_be_visible()
        page.screenshot(path=tmp_path / "0-enrol.png", full_page=True)
        page.goto("/persons/")  # nothing else is reachable before enrolment
        expect(page).to_have_url(re.compile(r"/login/\?next="))
        page.goto("/login/enrol/")
        totp = pyotp.TOTP(page.locator("#totp-secret").inner_text())
        page.get_by_label("Code from your authenticator app").fill(totp.now())
        page.get_by_role("button", name="Confirm").click()
        expect(page.locator("#recovery-codes li")).to_have_count(10)
        page.get_by_role("link", name="Continue").click()
        expect(page).to_have_url(re.compile(r"/persons/$"))
        expect(page.locator("header .who")).to_contain_text("ana")
        page.get_by_role("button", name="Log out").click()

        _password_step(page, "ana")
        expect(page).to_have_url(re.compile(r"/login/verify/$"))
        page.get_by_label("Code from your authenticator app").fill(totp.at(time.time() + 30))
        page.get_by_role("button", name="Verify").click()
        expect(page).to_have_url(re.compile(r"/persons/$"))
        expect(page.locator("header .who")).to_contain_text("ana")
