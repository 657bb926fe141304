"""Playwright against Debian's Chromium (never a downloaded browser), shared by the browser tests."""

from contextlib import contextmanager

from django.db import connections
from playwright.sync_api import Page, expect, sync_playwright

from palermo.demo import scenario

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@contextmanager
def chromium():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # ORM connections opened while Playwright's event loop ran live in that loop's context,
            # where the test database teardown cannot see them: close them here, or PostgreSQL
            # refuses to drop the test database ("being accessed by other users").
            connections.close_all()


@contextmanager
def page_on(base_url: str):
    with chromium() as browser:
        context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        yield context.new_page()
        context.close()


def log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(scenario.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("header .who")).to_contain_text(username)
