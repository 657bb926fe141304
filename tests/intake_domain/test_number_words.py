"""Phone numbers spelled out digit by digit in each supported language."""

import pytest

from palermo.intake.extraction import extract

SPELLED = {
    "en": "zero seven two one two three four five six seven",
    "es": "cero siete dos uno dos tres cuatro cinco seis siete",
    "fr": "zéro sept deux un deux trois quatre cinq six sept",
    "ru": "ноль семь два один два три четыре пять шесть семь",
    "ro": "zero șapte doi unu doi trei patru cinci șase șapte",
    "ro-without-diacritics": "zero sapte doi unu doi trei patru cinci sase sapte",
    "bg": "нула седем две едно две три четири пет шест седем",
    "it": "zero sette due uno due tre quattro cinque sei sette",
    "de": "null sieben zwei eins zwei drei vier fünf sechs sieben",
    "zh": "零七二一二三四五六七",
    "zh-yao": "零七二幺二三四五六七",
}


@pytest.mark.parametrize("language", sorted(SPELLED))
def test_spelled_out_number(language):
    words = SPELLED[language]
    text = f"Tel: {words}."
    result = extract(text, "RO")
    assert [(s.type, s.value) for s in result.selectors] == [("phone", "+40721234567")]
    start, end = result.selectors[0].span
    assert text[start:end] == words


def test_words_mixed_with_digits():
    text = "call zero 7 two 1 2 three 4 five 6 7"
    result = extract(text, "RO")
    assert [s.value for s in result.selectors] == ["+40721234567"]
    assert result.selectors[0].raw == "zero 7 two 1 2 three 4 five 6 7"


def test_chinese_numerals_glued_to_chinese_text():
    text = "她说电话是零七二一二三四五六七谢谢"
    [selector] = extract(text, "RO").selectors
    assert selector.value == "+40721234567"
    assert selector.raw == "零七二一二三四五六七"


def test_english_words_glued_to_chinese_text():
    text = "请打zero seven two one two three four five six seven谢谢"
    assert [s.value for s in extract(text, "RO").selectors] == ["+40721234567"]


def test_a_few_number_words_in_a_sentence_are_not_a_phone():
    assert extract("I have two kids and one sister, we are three", "GB").selectors == []
    assert extract("一个人，两个孩子", "CN").selectors == []
