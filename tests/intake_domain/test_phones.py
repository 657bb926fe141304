"""Each obfuscation of a phone number resolves to E.164 and its span points at what was written."""

import pytest

from palermo.intake.extraction import extract


def phones(text, country=None):
    return [
        (s.value, text[s.span[0] : s.span[1]]) for s in extract(text, country).selectors if s.type == "phone"
    ]


@pytest.mark.parametrize(
    ("text", "country", "written"),
    [
        ("call 0721 234 567 now", "RO", "0721 234 567"),
        ("call 0721234567", "RO", "0721234567"),
        ("tel +40 721 234 567", None, "+40 721 234 567"),
        ("tel 0040 721 234 567", None, "0040 721 234 567"),
        ("tel 0040.721.234.567", "BG", "0040.721.234.567"),
        ("number: 0721.234.567", "RO", "0721.234.567"),
        ("number: 0721-234-567", "RO", "0721-234-567"),
        ("number: (0721) 234 567", "RO", "(0721) 234 567"),
        ("number: +40 (721) 234-567", "RO", "+40 (721) 234-567"),
        ("number: 0 7 2 1 2 3 4 5 6 7", "RO", "0 7 2 1 2 3 4 5 6 7"),
        ("номер ０７２１ ２３４ ５６７", "RO", "０７２１ ２３４ ５６７"),
        ("sms 0️⃣7️⃣2️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣ pls", "RO", "0️⃣7️⃣2️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣"),
        ("call O72l 234 567", "RO", "O72l 234 567"),
        ("call O7I2 O34 567", "RO", "O7I2 O34 567"),
        ("call 0\u200b7\u200b2\u200b1\u200b2\u200b3\u200b4\u200b5\u200b6\u200b7", "RO", None),
    ],
)
def test_obfuscated_romanian_mobile(text, country, written):
    found = phones(text, country)
    expected_value = "+40721234567" if "O7I2" not in text else "+40712034567"
    assert [value for value, _ in found] == [expected_value]
    if written:
        assert found[0][1] == written


def test_wa_me_link_is_a_phone_not_a_url():
    result = extract("write on https://wa.me/40721234567 tonight", "RO")
    assert [(s.type, s.value) for s in result.selectors] == [("phone", "+40721234567")]
    assert result.selectors[0].raw == "https://wa.me/40721234567"


def test_national_form_needs_the_country():
    assert phones("call 0721 234 567", None) == []
    assert phones("call 0721 234 567", "RO") == [("+40721234567", "0721 234 567")]


def test_same_digits_resolve_in_the_tips_country():
    assert phones("06 12 34 56 78", "FR") == [("+33612345678", "06 12 34 56 78")]
    assert phones("020 7946 0958", "GB") == [("+442079460958", "020 7946 0958")]


def test_two_numbers_in_one_list_are_kept_apart():
    assert [v for v, _ in phones("0721234567, 0744123456", "RO")] == ["+40721234567", "+40744123456"]
    assert [v for v, _ in phones("0721 234 567 o 0744 123 456", "RO")] == ["+40721234567", "+40744123456"]


def test_stray_digit_word_before_a_number_is_left_out():
    assert phones("appelle un 06 12 34 56 78", "FR") == [("+33612345678", "06 12 34 56 78")]


def test_group_written_only_in_lookalike_letters():
    assert phones("Sunați la O7I2 OOI 645.", "RO") == [("+40712001645", "O7I2 OOI 645")]
    assert phones("Телефон 89I2 345 15I O", "RU") == [("+79123451510", "89I2 345 15I O")]


def test_pronoun_i_after_a_number_is_not_a_digit():
    assert phones("call 0721 234 567 I am waiting", "RO") == [("+40721234567", "0721 234 567")]
