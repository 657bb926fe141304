"""Language of a tip, as an ISO 639-1 code.

langdetect is seeded (its default is random), so the same text always gets the same answer.
Short or letterless texts give None rather than a guess; a script that only one supported
language uses (Han) is answered from the script.
"""

from __future__ import annotations

import re

from langdetect import DetectorFactory, LangDetectException, detect_langs

DetectorFactory.seed = 0

MIN_LETTERS = 4
_LETTER = re.compile(r"[^\W\d_]")
_HAN = re.compile(r"[\u3400-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")


def detect_language(text: str) -> str | None:
    letters = _LETTER.findall(text)
    if len(letters) < MIN_LETTERS and not _HAN.search(text):
        return None
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    han = len(_HAN.findall(text))
    if han and han * 2 >= len(letters):
        return "zh"
    try:
        best = detect_langs(text)[0]
    except LangDetectException:
        return None
    return best.lang.split("-")[0]
