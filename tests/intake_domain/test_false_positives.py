"""Numbers that are not phone numbers stay out, even with the country known."""

import pytest

from palermo.intake.extraction import extract


@pytest.mark.parametrize(
    "text",
    [
        "It happened on 12.05.2023 at 10:30.",
        "It happened on 2023-05-12.",
        "It costs 1500 lei, or €300, or 300 EUR.",
        "They paid 1 500 lei for the trip.",
        "She is 19 years old, he is 45.",
        "The postcode is 010011, room 12, floor 3.",
        "She works 16 hours a day, 7 days a week.",
        "Open from 14h30 to 23:00 every day.",
        "Order 12 345 of 2021, invoice 2021/12/05.",
        "I have 2 kids aged 4 and 7.",
    ],
)
@pytest.mark.parametrize("country", ["RO", "GB", "US", "FR", "DE", "CN"])
def test_no_phone_in_ordinary_numbers(text, country):
    assert [s for s in extract(text, country).selectors if s.type == "phone"] == []


def test_date_next_to_a_phone_does_not_eat_it():
    result = extract("On 12.05.2023 call 0721 234 567.", "RO")
    assert [(s.value, s.raw) for s in result.selectors] == [("+40721234567", "0721 234 567")]


def test_empty_and_short_texts_do_not_crash():
    for text in ["", " ", "hi", "12", "@", "…", "🙂", "a@b"]:
        result = extract(text, "RO")
        assert result.selectors == []
        assert result.language is None
