import json

import pytest

from palermo.intake.extraction import extract
from palermo.intake.extraction.indicators import compile_term, lexicon_terms
from palermo.intake.extraction.lexicons import DATA_DIR
from palermo.intake.extraction.mapped_text import search_form


def hits(text):
    return [(h.code, text[h.span[0] : h.span[1]]) for h in extract(text).indicators]


@pytest.mark.parametrize(
    ("text", "code", "written"),
    [
        ("They took her passport when she arrived.", "IND-DOCS-WITHHELD", "took her passport"),
        ("Le quitaron el pasaporte en el aeropuerto.", "IND-DOCS-WITHHELD", "quitaron el pasaporte"),
        ("Ils ont confisqué son passeport.", "IND-DOCS-WITHHELD", "confisqué son passeport"),
        ("У неё забрали паспорт.", "IND-DOCS-WITHHELD", "забрали паспорт"),
        ("I-au luat Pașaportul.", "IND-DOCS-WITHHELD", "luat Pașaportul"),
        ("Взеха ѝ паспорта.", "IND-DOCS-WITHHELD", "Взеха ѝ паспорта"),
        ("她的护照被收走了。", "IND-DOCS-WITHHELD", "护照被收走"),
        ("She owes a debt for the travel.", "IND-DEBT", "debt"),
        ("My cousin is 15 years old.", "IND-MINOR", "15 years old"),
        ("Are 16 ani.", "IND-MINOR", "16 ani"),
        ("她才十五岁", "IND-MINOR", "十五岁"),
        ("The girls are not allowed to leave.", "IND-NO-FREEDOM", "not allowed to leave"),
        ("Nu are voie să iasă din casă.", "IND-NO-FREEDOM", "Nu are voie să iasă"),
        ("They are not paid at all.", "IND-UNPAID", "not paid"),
        ("He threatened her family.", "IND-THREATS", "threatened"),
        ("Please help, she is in danger.", "IND-DANGER-NOW", "in danger"),
        ("They sleep in the kitchen of the restaurant.", "IND-LIVES-AT-WORK", "sleep in the kitchen"),
        ("She answered a job offer abroad.", "IND-RECRUITED-JOB-OFFER", "job offer"),
        ("Работают без выходных.", "IND-FORCED-WORK", "без выходных"),
    ],
)
def test_indicator_hit_with_span(text, code, written):
    assert (code, written) in hits(text)


def test_hit_records_term_and_language():
    [hit] = extract("Le quitaron el pasaporte.").indicators
    assert (hit.code, hit.language, hit.term) == ("IND-DOCS-WITHHELD", "es", "quit* .. pasaporte*")


def test_adult_age_is_not_a_minor():
    assert hits("She is 19 years old.") == []


def test_movement_language_is_never_an_indicator():
    lexicon = json.loads((DATA_DIR / "indicator_lexicon.json").read_text("utf-8"))
    phrases = [p for group in lexicon["excluded_phrases"]["phrases"].values() for p in group]
    assert len(phrases) >= 20
    for phrase in phrases:
        assert extract(f"{phrase}!").indicators == [], phrase


def test_every_literal_lexicon_term_matches_itself():
    literal = [t for t in lexicon_terms() if t.anchor and not any(c in t.term for c in "*(.")]
    assert len(literal) > 100
    for term in literal:
        pattern, _ = compile_term(term.term)
        assert pattern.search(search_form(term.term).text), term.term


def test_gap_syntax_allows_up_to_three_words():
    assert ("IND-DOCS-WITHHELD", "took her old red passport") in hits("they took her old red passport")
    assert hits("they took her very old faded red passport") == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("My neighbour's sister is kept in a flat and cannot leave, please help her", "en"),
        ("La hermana de mi vecina está encerrada en un piso y no puede salir", "es"),
        ("La sœur de ma voisine est enfermée dans un appartement et ne peut pas sortir", "fr"),
        ("Сестру моей соседки держат в квартире и не выпускают", "ru"),
        ("Sora vecinei mele este ținută într-un apartament și nu are voie să iasă", "ro"),
        ("Сестрата на съседката ми е затворена в апартамент и не може да излиза", "bg"),
        ("我邻居的妹妹被关在公寓里，不能离开", "zh"),
    ],
)
def test_language_detection(text, language):
    assert extract(text).language == language


def test_language_ignores_selectors():
    text = "https://example.com/ads/123 ana.pop@mail.com Сестру моей соседки держат в квартире"
    assert extract(text).language == "ru"


def test_language_is_deterministic():
    text = "ayuda por favor"
    assert len({extract(text).language for _ in range(5)}) == 1
