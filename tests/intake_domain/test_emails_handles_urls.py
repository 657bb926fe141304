import pytest

from palermo.intake.extraction import extract


def selectors(text, country=None):
    return [(s.type, s.value, s.raw) for s in extract(text, country).selectors]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("write to ana.pop@mail.com please", "ana.pop@mail.com"),
        ("write to ana.pop at mail dot com please", "ana.pop at mail dot com"),
        ("write to ana.pop at mail.com please", "ana.pop at mail.com"),
        ("write to ana.pop (at) mail (dot) com please", "ana.pop (at) mail (dot) com"),
        ("write to ana.pop[at]mail[dot]com please", "ana.pop[at]mail[dot]com"),
        ("write to ana.pop @ mail . com please", "ana.pop @ mail . com"),
        ("write to ana.pop ＠ｍａｉｌ．ｃｏｍ please", "ana.pop ＠ｍａｉｌ．ｃｏｍ"),
        ("escribe a ana.pop arroba mail punto com", "ana.pop arroba mail punto com"),
        ("пиши ana.pop собака mail точка com", "ana.pop собака mail точка com"),
        ("écrire à ana.pop arobase mail point com", "ana.pop arobase mail point com"),
        ("ana dot pop at mail dot com", "ana dot pop at mail dot com"),
        ("WRITE TO ANA.POP@MAIL.COM", "ANA.POP@MAIL.COM"),
        ("邮箱：ana.pop@mail.com谢谢", "ana.pop@mail.com"),
    ],
)
def test_email_forms(text, written):
    assert selectors(text) == [("email", "ana.pop@mail.com", written)]


def test_email_ends_at_sentence_full_stop():
    assert selectors("Mail ana@mail.com. It is urgent.") == [("email", "ana@mail.com", "ana@mail.com")]


@pytest.mark.parametrize(
    "text",
    [
        "Meet me at the station at 5.",
        "She is at work every day.",
        "I am at home dot com? no.",
        "We stay at the hotel near the station.",
    ],
)
def test_ordinary_sentences_with_at_are_not_emails(text):
    assert [s for s in selectors(text) if s[0] == "email"] == []


def test_digits_inside_an_email_are_not_a_phone():
    assert selectors("write 0721234567@qq.com", "RO") == [("email", "0721234567@qq.com", "0721234567@qq.com")]


@pytest.mark.parametrize(
    ("text", "value", "written"),
    [
        ("find her on @ana_x99", "ana_x99", "@ana_x99"),
        ("telegram: ana_x99", "telegram:ana_x99", "telegram: ana_x99"),
        ("tg: @ana_x99", "telegram:ana_x99", "tg: @ana_x99"),
        ("Телеграм: @ana_x99", "telegram:ana_x99", "Телеграм: @ana_x99"),
        ("ig: ana.x99", "instagram:ana.x99", "ig: ana.x99"),
        ("insta - ana.x99", "instagram:ana.x99", "insta - ana.x99"),
        ("snap: ana_x99", "snapchat:ana_x99", "snap: ana_x99"),
        ("see t.me/ana_x99 for jobs", "telegram:ana_x99", "t.me/ana_x99"),
    ],
)
def test_handle_forms(text, value, written):
    assert selectors(text) == [("handle", value, written)]


def test_platform_word_without_a_separator_is_not_a_handle():
    assert selectors("add me on telegram tonight") == []


@pytest.mark.parametrize(
    ("text", "value", "written"),
    [
        (
            "advert: https://www.Example-Ads.com/girls/123?id=9.",
            "example-ads.com/girls/123?id=9",
            "https://www.Example-Ads.com/girls/123?id=9",
        ),
        ("advert: www.example-ads.ro/ad/5", "example-ads.ro/ad/5", "www.example-ads.ro/ad/5"),
        ("advert: example-ads.net/ad/5, call", "example-ads.net/ad/5", "example-ads.net/ad/5"),
        ("广告在 https://example-ads.com/ad/5看", "example-ads.com/ad/5", "https://example-ads.com/ad/5"),
    ],
)
def test_url_forms(text, value, written):
    assert selectors(text) == [("url", value, written)]


def test_phone_inside_a_url_is_not_reported_twice():
    assert [s[0] for s in selectors("see https://ads.example.com/ad/0721234567", "RO")] == ["url"]


def test_selectors_come_in_text_order_with_exact_spans():
    text = "Call 0721 234 567, write ana (at) mail (dot) ro, tg: ana_x, advert www.example.com/a/1"
    result = extract(text, "RO")
    assert [s.type for s in result.selectors] == ["phone", "email", "handle", "url"]
    for selector in result.selectors:
        assert text[selector.span[0] : selector.span[1]] == selector.raw
    assert [s.raw for s in result.selectors] == [
        "0721 234 567",
        "ana (at) mail (dot) ro",
        "tg: ana_x",
        "www.example.com/a/1",
    ]
