"""In the browser: a public report in Romanian and in Spanish with a follow-up by code, and an operator
intake that routes to the right queue and suggests a link to a demo case."""

import os
import re

import pytest

from palermo.accounts import roles as R
from palermo.accounts.models import Agency, User
from palermo.intake import services
from palermo.intake.models import Signal, SignalNote
from tests.browser_support import chromium

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



@pytest.fixture
def browser():
    with chromium() as launched:
        yield launched


def send_report(page, base, lang, text):
    page.goto(f"{base}/intake/report?lang={lang}")
    page.keyboard.type(text)  # the description has the focus when the page opens
    page.select_option("#id_country", "RO")
    page.select_option("#id_minors_involved", "yes")
    page.get_by_role("button").last.click()
    return page.locator("#follow-up-code").inner_text(), page.locator("#passphrase").inner_text()


def test_public_reports_in_romanian_and_spanish_and_a_follow_up(live_server, browser):
    police = Agency.objects.create(code="ro-police", name="Poliția", agency_type="LawEnforcement", country="RO")
    supervisor = User.objects.create_user("sup", agency=police, roles=[R.SUPERVISOR])
    services.create_routing_rule(supervisor, {"country": "RO", "target_agency": police})
    page = browser.new_page()

    page.goto(f"{live_server.url}/intake/report?lang=ro")
    assert page.locator("h1").inner_text() == "Semnalați o situație"
    assert page.get_by_label("Ce se întâmplă? Scrieți în orice limbă.").is_visible()
    code, passphrase = send_report(page, live_server.url, "ro",
                                   "Vecina mea are 16 ani și nu o lasă să iasă din casă.")
    assert "Semnalarea dvs. a fost primită" in page.content()

    code_es, _ = send_report(page, live_server.url, "es", "Mi hermana trabaja sin sueldo y le quitaron el pasaporte.")
    assert page.locator("h1").inner_text() == "Gracias. Su denuncia fue recibida."
    assert code_es != code
    assert sorted(Signal.objects.values_list("language", flat=True)) == ["es", "ro"]
    assert set(Signal.objects.values_list("routed_agency__code", flat=True)) == {"ro-police"}

    page.goto(f"{live_server.url}/intake/report/follow-up?lang=ro")
    page.get_by_label("Cod de urmărire").fill(code)
    page.get_by_label("Parolă").fill(passphrase)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Semnalarea dvs. a fost primită pe" in page.locator("#status").inner_text()
    page.get_by_label("Adăugați informații").fill("Bărbatul are numărul 0722 555 777.")
    page.get_by_role("button", name="Trimiteți").click()
    assert "Informațiile dvs. au fost primite." in page.content()
    assert SignalNote.objects.get().signal.language == "ro"


def test_operator_intake_routes_and_suggests_the_demo_case(live_server, browser):
    from palermo.demo import scenario

    s = scenario.load()
    forger_phone = next(link.selector.value for link in s.persons["forger"].selector_links.all()
                        if link.selector.kind == "phone")
    page = browser.new_page()

    def log_in(username):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(scenario.DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()

    log_in("ngo.hotline")
    page.goto(f"{live_server.url}/intake/new")
    page.keyboard.press("Tab")  # channel has the focus; tab to the caller
    page.select_option("#id_caller_type", "CommunityMember")
    page.select_option("#id_immediate_danger", "no")
    page.select_option("#id_exploitation_type", "SexualExploitation")
    page.get_by_label("Location (address, landmark) [Alt+L]").fill("Iași, strada Exemplu")
    page.get_by_label("What the caller says (notes) [Alt+N]").fill(
        f"Caller says the man who makes the papers answers on {forger_phone} and keeps the girls' passports.")
    page.get_by_role("button", name="Save and triage [Alt+S]").click()
    assert "Routed to: Romanian Police — Anti-Trafficking Unit Iași" in page.locator("#routing").inner_text()
    assert "The report mentions" in page.locator("#triage").inner_text()
    page.get_by_label("Purpose").fill("triage of the call just taken")
    page.get_by_role("button", name="Read the report").click()
    # the NGO cannot see the police records, so it is shown no suggested link
    assert "No phone, e-mail, handle or web address" in page.locator("#suggested-links").inner_text()
    reference = page.locator("h1").inner_text().split()[0]

    log_in("ro.investigator")
    page.goto(f"{live_server.url}/intake/queue")
    page.get_by_role("link", name=reference).click()
    page.get_by_label("Purpose").fill("checking the new report against our cases")
    page.get_by_role("button", name="Read the report").click()
    links = page.locator("#suggested-links")
    assert "RO-ATU-2026-014 Soare Travel network" in links.inner_text()
    assert re.search(r"recorded for person .+ seized phone of a driver", links.inner_text())
