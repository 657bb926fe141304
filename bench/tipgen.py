"""Deterministic generator of synthetic hotline tips with known selectors, for the extraction benchmark.

Every tip is invented: phone numbers are random valid numbers from libphonenumber's metadata,
addresses and handles are random syllables. Each selector is written in one of the obfuscation
styles reporters use to dodge filters, and its expected canonical value is recorded beside it.
Distractors (dates, prices, ages, times, postcodes, sentences with "at", movement language) are
mixed in so precision is measured too. The word tables here are written independently of the
extractor's data files, so the benchmark does not grade the extractor against its own lexicon.

    .venv/bin/python bench/tipgen.py --size 20   # prints tips as JSON lines
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field

import phonenumbers

SEED = 20240603

LANGUAGE_COUNTRIES = {
    "en": ["GB", "US", "IE"],
    "es": ["ES", "MX"],
    "fr": ["FR", "BE"],
    "ru": ["RU"],
    "ro": ["RO", "MD"],
    "bg": ["BG"],
    "zh": ["CN"],
    "it": ["IT"],
    "de": ["DE", "AT"],
}

DIGIT_WORDS = {
    "en": "zero one two three four five six seven eight nine".split(),
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve".split(),
    "fr": "zéro un deux trois quatre cinq six sept huit neuf".split(),
    "ru": "ноль один два три четыре пять шесть семь восемь девять".split(),
    "ro": "zero unu doi trei patru cinci șase șapte opt nouă".split(),
    "bg": "нула едно две три четири пет шест седем осем девет".split(),
    "zh": list("零一二三四五六七八九"),
    "it": "zero uno due tre quattro cinque sei sette otto nove".split(),
    "de": "null eins zwei drei vier fünf sechs sieben acht neun".split(),
}
AT_DOT_WORDS = {
    "en": ("at", "dot"),
    "es": ("arroba", "punto"),
    "fr": ("arobase", "point"),
    "ru": ("собака", "точка"),
    "ro": ("at", "punct"),
    "bg": ("маймунка", "точка"),
    "zh": ("at", "dot"),
    "it": ("chiocciola", "punto"),
    "de": ("at", "punkt"),
}
KEYCAP = "\ufe0f\u20e3"
FULLWIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}

PHONE_STYLES = [
    "national",
    "international",
    "e164",
    "prefix_00",
    "dotted",
    "dashed",
    "bracketed",
    "spaced_digits",
    "words_local",
    "words_english",
    "words_mixed",
    "fullwidth",
    "keycap",
    "lookalike_letters",
    "wa_me_link",
    "invisible_separators",
]
EMAIL_STYLES = [
    "plain",
    "spaced_at",
    "words_at_dot",
    "parenthesised",
    "bracketed",
    "local_words",
    "fullwidth_at",
    "upper_case",
]
HANDLE_STYLES = ["bare_at", "telegram_prefix", "instagram_prefix", "snapchat_prefix", "telegram_link"]
URL_STYLES = ["https", "www", "bare_domain"]

PHRASES = {
    "en": {
        "lead": [
            "I want to report something.",
            "My neighbour asked me to write.",
            "Please check this place.",
            "",
        ],
        "phone": ["Call {x} to book.", "The number they use is {x}.", "Contact: {x}", "ring {x} after 6"],
        "email": ["Write to {x}.", "Their e-mail is {x}", "send cv to {x} for the job"],
        "handle": ["They recruit on {x}.", "Message {x}"],
        "url": ["The advert is at {x}", "See {x}"],
        "filler": [
            "She looks very tired.",
            "The women never go out alone.",
            "They took her passport when she arrived.",
            "The boss says she owes a debt for the travel.",
            "Meet me at the station at 5.",
            "She is at work every day.",
            "New in town, leaving soon.",
        ],
    },
    "es": {
        "lead": ["Quiero denunciar algo.", "Por favor revisen este lugar.", ""],
        "phone": ["Llamen al {x}.", "El número es {x}", "Teléfono: {x}"],
        "email": ["Escriban a {x}.", "El correo es {x}"],
        "handle": ["Reclutan en {x}.", "Mensaje a {x}"],
        "url": ["El anuncio está en {x}", "Ver {x}"],
        "filler": [
            "Ella parece muy cansada.",
            "Le quitaron el pasaporte.",
            "Nueva en la ciudad.",
            "Tiene una deuda.",
        ],
    },
    "fr": {
        "lead": ["Je veux signaler quelque chose.", "Merci de vérifier ce salon.", ""],
        "phone": ["Appelez le {x}.", "Le numéro est {x}", "Tél : {x}"],
        "email": ["Écrivez à {x}.", "Leur adresse : {x}"],
        "handle": ["Ils recrutent sur {x}.", "Contact {x}"],
        "url": ["L'annonce est sur {x}", "Voir {x}"],
        "filler": [
            "Elle a l'air épuisée.",
            "Ils gardent son passeport.",
            "Nouvelle en ville.",
            "Elle ne peut pas sortir.",
        ],
    },
    "ru": {
        "lead": ["Хочу сообщить.", "Проверьте этот адрес, пожалуйста.", ""],
        "phone": ["Звоните {x}.", "Номер: {x}", "Телефон {x}"],
        "email": ["Пишите на {x}.", "Почта {x}"],
        "handle": ["Вербуют через {x}.", "Пишите {x}"],
        "url": ["Объявление тут {x}", "Смотрите {x}"],
        "filler": [
            "Она очень устала.",
            "У неё забрали паспорт.",
            "Новенькая, скоро уезжаю.",
            "Работают без выходных.",
        ],
    },
    "ro": {
        "lead": ["Vreau să semnalez ceva.", "Vă rog verificați acest loc.", ""],
        "phone": ["Sunați la {x}.", "Numărul este {x}", "Tel: {x}"],
        "email": ["Scrieți la {x}.", "Adresa de e-mail: {x}"],
        "handle": ["Recrutează pe {x}.", "Mesaj la {x}"],
        "url": ["Anunțul este pe {x}", "Vedeți {x}"],
        "filler": ["Pare foarte obosită.", "I-au luat pașaportul.", "Nouă în oraș.", "Nu are voie să iasă."],
    },
    "bg": {
        "lead": ["Искам да съобщя нещо.", "Моля, проверете това място.", ""],
        "phone": ["Обадете се на {x}.", "Номерът е {x}", "Тел: {x}"],
        "email": ["Пишете на {x}.", "Имейл: {x}"],
        "handle": ["Вербуват в {x}.", "Съобщение до {x}"],
        "url": ["Обявата е на {x}", "Вижте {x}"],
        "filler": [
            "Изглежда много уморена.",
            "Взеха ѝ паспорта.",
            "Нова в града.",
            "Работят без почивен ден.",
        ],
    },
    "zh": {
        "lead": ["我想举报一件事。", "请查一下这个地方。", ""],
        "phone": ["电话：{x}。", "请打{x}", "联系 {x}"],
        "email": ["邮箱：{x}", "发邮件到 {x}"],
        "handle": ["他们在 {x} 招人。", "联系 {x}"],
        "url": ["广告在 {x}", "看 {x}"],
        "filler": ["她看起来很累。", "护照被收走了。", "新来的。", "她们不能离开。"],
    },
    "it": {
        "lead": ["Voglio segnalare una cosa.", "Per favore controllate questo posto.", ""],
        "phone": ["Chiamate il {x}.", "Il numero è {x}", "Tel: {x}"],
        "email": ["Scrivete a {x}.", "L'email è {x}"],
        "handle": ["Reclutano su {x}.", "Messaggio a {x}"],
        "url": ["L'annuncio è su {x}", "Vedi {x}"],
        "filler": [
            "Sembra molto stanca.",
            "Le hanno preso il passaporto.",
            "Nuova in città.",
            "Lavora senza riposo.",
        ],
    },
    "de": {
        "lead": ["Ich möchte etwas melden.", "Bitte prüfen Sie diesen Ort.", ""],
        "phone": ["Ruft {x} an.", "Die Nummer ist {x}", "Tel.: {x}"],
        "email": ["Schreibt an {x}.", "E-Mail: {x}"],
        "handle": ["Sie werben auf {x} an.", "Nachricht an {x}"],
        "url": ["Die Anzeige ist auf {x}", "Siehe {x}"],
        "filler": [
            "Sie wirkt sehr müde.",
            "Ihr Pass wurde weggenommen.",
            "Neu in der Stadt.",
            "Keine freien Tage.",
        ],
    },
}
DISTRACTORS = [
    "It happened on {date}.",
    "They charge {price}.",
    "She is {age} years old.",
    "Open from {time} to 23:00.",
    "The postcode is {postcode}.",
    "She works {hours} hours a day.",
    "Room {room}, floor 3.",
    "They paid {amount} lei for the trip.",
]
EMAIL_DOMAINS = [
    "gmail.com",
    "yahoo.com",
    "mail.ru",
    "yandex.ru",
    "abv.bg",
    "yahoo.ro",
    "outlook.fr",
    "qq.com",
    "163.com",
    "web.de",
    "libero.it",
    "hotmail.es",
    "protonmail.com",
    "example.org",
]
SYLLABLES = "ka lo mi ra zu ne ta vi so de ri an el ma ko sa".split()


@dataclass
class Truth:
    type: str
    value: str
    style: str


@dataclass
class Tip:
    id: str
    text: str
    country: str
    language: str
    truth: list[Truth] = field(default_factory=list)

    def as_input(self) -> dict:
        return {"id": self.id, "text": self.text, "country": self.country}


def _name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


def random_mobile(rng: random.Random, region: str) -> phonenumbers.PhoneNumber:
    """A valid mobile number: libphonenumber's example number with random trailing digits."""
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    national = str(example.national_number)
    while True:
        tail = "".join(rng.choice("0123456789") for _ in range(5))
        candidate = phonenumbers.parse(f"+{example.country_code}{national[:-5]}{tail}")
        if phonenumbers.is_valid_number(candidate):
            return candidate


def render_phone(rng: random.Random, number: phonenumbers.PhoneNumber, style: str, language: str) -> str:
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    digits = "".join(c for c in national if c.isdigit())
    groups = _groups(digits)
    if style == "national":
        return national
    if style == "international":
        return international
    if style == "e164":
        return e164
    if style == "prefix_00":
        return "00" + international[1:]
    if style == "dotted":
        return ".".join(groups)
    if style == "dashed":
        return "-".join(groups)
    if style == "bracketed":
        return f"({groups[0]}) " + " ".join(groups[1:])
    if style == "spaced_digits":
        return " ".join(digits)
    if style == "words_local":
        joiner = "" if language == "zh" else " "
        return joiner.join(DIGIT_WORDS[language][int(d)] for d in digits)
    if style == "words_english":
        return " ".join(DIGIT_WORDS["en"][int(d)] for d in digits)
    if style == "words_mixed":
        words = DIGIT_WORDS["en" if language == "zh" else language]
        return " ".join(words[int(d)] if rng.random() < 0.5 else d for d in digits)
    if style == "fullwidth":
        return "".join(FULLWIDTH.get(c, c) for c in national)
    if style == "keycap":
        return "".join(d + KEYCAP for d in digits)
    if style == "lookalike_letters":
        return " ".join(_lookalike(rng, group) for group in groups)
    if style == "wa_me_link":
        return rng.choice(["wa.me/", "https://wa.me/"]) + e164[1:]
    if style == "invisible_separators":
        return "\u200b".join(digits)
    raise ValueError(style)


def _groups(digits: str) -> list[str]:
    head, rest = digits[:4], digits[4:]
    return [head] + [rest[i : i + 3] for i in range(0, len(rest), 3)]


def _lookalike(rng: random.Random, group: str) -> str:
    swaps = {"0": "O", "1": rng.choice("lI")}
    return "".join(swaps[c] if c in swaps and rng.random() < 0.7 else c for c in group)


def render_email(rng: random.Random, local: str, domain: str, style: str, language: str) -> str:
    name, tld = domain.rsplit(".", 1)
    at_word, dot_word = AT_DOT_WORDS[language]
    if style == "plain":
        return f"{local}@{domain}"
    if style == "spaced_at":
        return f"{local} @ {domain}"
    if style == "words_at_dot":
        return f"{local} at {name} dot {tld}"
    if style == "parenthesised":
        return f"{local} (at) {name} (dot) {tld}"
    if style == "bracketed":
        return f"{local}[at]{name}[dot]{tld}"
    if style == "local_words":
        return f"{local} {at_word} {name} {dot_word} {tld}"
    if style == "fullwidth_at":
        return f"{local}\uff20{domain}"
    if style == "upper_case":
        return f"{local}@{domain}".upper()
    raise ValueError(style)


def render_handle(name: str, style: str) -> tuple[str, str]:
    """(text, expected canonical value)"""
    if style == "bare_at":
        return f"@{name}", name
    if style == "telegram_prefix":
        return f"telegram: @{name}", f"telegram:{name}"
    if style == "instagram_prefix":
        return f"insta: {name}", f"instagram:{name}"
    if style == "snapchat_prefix":
        return f"snap: {name}", f"snapchat:{name}"
    if style == "telegram_link":
        return f"t.me/{name}", f"telegram:{name}"
    raise ValueError(style)


def render_url(rng: random.Random, style: str) -> tuple[str, str]:
    host = f"{_name(rng)}-{rng.choice(['ads', 'escort', 'jobs', 'massage'])}.{rng.choice(['com', 'ro', 'net', 'bg'])}"
    path = f"/{rng.choice(['profile', 'ad', 'girls', 'work'])}/{rng.randint(100, 99999)}"
    if style == "https":
        return f"https://{host}{path}", f"{host}{path}"
    if style == "www":
        return f"www.{host}{path}", f"{host}{path}"
    if style == "bare_domain":
        return f"{host}{path}", f"{host}{path}"
    raise ValueError(style)


def distractor(rng: random.Random) -> str:
    return rng.choice(DISTRACTORS).format(
        date=f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2019, 2025)}",
        price=rng.choice(
            [f"{rng.randint(50, 500)} EUR", f"€{rng.randint(50, 500)}", f"${rng.randint(50, 500)}"]
        ),
        age=rng.randint(18, 45),
        time=f"{rng.randint(8, 20)}:{rng.choice(['00', '15', '30', '45'])}",
        postcode=f"{rng.randint(10000, 999999)}",
        hours=rng.randint(10, 18),
        room=rng.randint(1, 400),
        amount=f"{rng.randint(1, 9)} {rng.randint(0, 999):03d}",
    )


def generate_tips(count: int, seed: int = SEED) -> list[Tip]:
    """`count` tips; every style of every selector type appears in rotation, so any count above
    a few dozen covers them all."""
    rng = random.Random(seed)
    languages = list(LANGUAGE_COUNTRIES)
    tips = []
    for index in range(count):
        language = languages[index % len(languages)]
        country = rng.choice(LANGUAGE_COUNTRIES[language])
        phrases = PHRASES[language]
        parts = [rng.choice(phrases["lead"])]
        truth: list[Truth] = []

        phone_style = PHONE_STYLES[index % len(PHONE_STYLES)]
        number = random_mobile(rng, country)
        parts.append(rng.choice(phrases["phone"]).format(x=render_phone(rng, number, phone_style, language)))
        truth.append(
            Truth(
                "phone", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), phone_style
            )
        )

        if index % 2 == 0:
            email_style = EMAIL_STYLES[(index // 2) % len(EMAIL_STYLES)]
            local = (
                _name(rng, 2)
                + rng.choice(["", ".", "_"])
                + _name(rng, 1)
                + rng.choice(["", str(rng.randint(1, 99))])
            )
            domain = rng.choice(EMAIL_DOMAINS)
            parts.append(
                rng.choice(phrases["email"]).format(x=render_email(rng, local, domain, email_style, language))
            )
            truth.append(Truth("email", f"{local}@{domain}".lower(), email_style))
        if index % 3 == 0:
            handle_style = HANDLE_STYLES[(index // 3) % len(HANDLE_STYLES)]
            text, value = render_handle(_name(rng, 3) + rng.choice(["", "_x", "77"]), handle_style)
            parts.append(rng.choice(phrases["handle"]).format(x=text))
            truth.append(Truth("handle", value, handle_style))
        if index % 4 == 0:
            url_style = URL_STYLES[(index // 4) % len(URL_STYLES)]
            text, value = render_url(rng, url_style)
            parts.append(rng.choice(phrases["url"]).format(x=text))
            truth.append(Truth("url", value, url_style))
        if index % 5 == 0:
            second = random_mobile(rng, country)
            second_style = PHONE_STYLES[(index // 5) % len(PHONE_STYLES)]
            parts.append(
                rng.choice(phrases["phone"]).format(x=render_phone(rng, second, second_style, language))
            )
            e164 = phonenumbers.format_number(second, phonenumbers.PhoneNumberFormat.E164)
            truth.append(Truth("phone", e164, second_style))

        body = parts[1:]
        rng.shuffle(body)
        for _ in range(rng.randint(1, 2)):
            body.insert(rng.randint(0, len(body)), rng.choice(phrases["filler"]))
        if rng.random() < 0.6:
            body.insert(rng.randint(0, len(body)), distractor(rng))
        text = _join(language, [p for p in [parts[0], *body] if p])
        tips.append(Tip(f"tip-{index:05d}", text, country, language, truth))
    return tips


def _join(language: str, sentences: list[str]) -> str:
    """Chinese sentences run on without spaces; an English distractor inside them keeps one."""
    if language != "zh":
        return " ".join(sentences)
    text = ""
    for sentence in sentences:
        glue = " " if text and (sentence[0].isascii() or text[-1].isascii()) else ""
        text += glue + sentence
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    for tip in generate_tips(args.size, args.seed):
        record = tip.as_input() | {"truth": [t.__dict__ for t in tip.truth]}
        print(json.dumps(record, ensure_ascii=False))


if __name__ == "__main__":
    main()
