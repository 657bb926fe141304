"""The public form's limits count characters, not bytes; bidirectional control characters in what the
public sends cannot reorder the text an operator reads."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from palermo.core import services as core
from palermo.intake.models import Signal, SignalNote
from palermo.intake.services import add_reporter_information
from tests.intake.test_pages import logged_in, report

pytestmark = pytest.mark.django_db

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def _browser_post(client, **fields):
    """As a browser sends the form: URL-encoded, so each UTF-8 byte travels as "%XX"."""
    data = {"country": "RO", "situation": "", "immediate_danger": "unknown", "minors_involved": "unknown",
            "caller_type": "Anonymous", "location": "", "contact": "", "website": "", **fields}
    return client.post(reverse("intake:report"), urlencode(data), content_type="application/x-www-form-urlencoded",
                       REMOTE_ADDR="203.0.113.5")


@pytest.mark.parametrize("letter", ["ж", "ع", "中", "😀"])
def test_a_report_in_any_script_may_use_the_whole_stated_character_limit(world, letter):
    client = Client()
    text = letter * 4000
    accepted = _browser_post(client, text=text, location=letter * 300, contact=letter * 300)
    assert accepted.status_code == 201
    assert Signal.objects.get().text == text
    refused = _browser_post(client, text=letter * 4001)
    assert refused.status_code == 400 and "4001" in refused.content.decode().replace(",", "")


def test_bidi_controls_in_a_public_report_are_shown_as_codes_to_operators(world):
    text = f"Pay {RLO}0057 RON{PDF} to {LRI}evil{PDI}; he keeps the passports \u200f\u200e\u061c\u202a\u202b\u202d\u2067\u2068"
    assert report(Client(), text=text).status_code == 201
    signal = Signal.objects.get()
    assert signal.text == text  # stored as sent
    add_reporter_information(signal, f"also {RLO}gnp.exe")
    operator = logged_in(world.users["police_investigator"])
    for page in (reverse("intake:signal", args=[signal.pk]), reverse("intake:queue")):
        html = operator.get(page).content.decode()
        assert not any(char in html for char in CONTROLS), page
    html = operator.post(reverse("intake:signal", args=[signal.pk]),
                         {"purpose": "triage of the public report"}).content.decode()
    assert not any(char in html for char in CONTROLS)
    assert "Pay [U+202E]0057 RON[U+202C] to [U+2066]evil[U+2069]" in html
    assert "also [U+202E]gnp.exe" in html
    assert SignalNote.objects.get().text == f"also {RLO}gnp.exe"


def test_bidi_controls_in_staff_free_text_are_neutralised_on_every_page(world):
    investigator = world.users["police_investigator"]
    case = core.create_case(investigator, {"reference": "RO-T-2", "title": f"Farm {RLO}mraf", "country": "RO"})
    client = logged_in(investigator)
    for page in (reverse("case_detail", args=[case.pk]), reverse("case_list")):
        html = client.get(page).content.decode()
        assert RLO not in html and "Farm [U+202E]mraf" in html, page
