"""Spot contact details in a pupil's text, so that the conversation stays on the platform.

Pupils' messages, wall posts and comments are refused when they carry an e-mail address,
a phone number, a web address or a social-media handle, written plainly or disguised
("name at gmail dot com", "+44 7700 900123", "seven seven zero zero…", "insta: x").
The detector leans towards refusing: a pupil whose sentence is refused by mistake reads
why and rephrases, while a leaked address cannot be taken back. Pure Python, no Django.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy, pgettext

# Common top-level domains: a disguised address ("x at y dot com") or a bare domain
# ("roblox.com") counts only with one of these, so "at school. Then" is not a domain.
TLDS = frozenset((
    "com", "net", "org", "edu", "gov", "info", "biz", "io", "co", "me", "tv", "app", "dev",
    "xyz", "online", "site", "club", "uk", "de", "fr", "es", "it", "nl", "be", "ch", "at",
    "pl", "pt", "se", "no", "dk", "fi", "ie", "cz", "hu", "ro", "gr", "ru", "ua", "tr", "jp",
    "cn", "kr", "tw", "hk", "in", "au", "nz", "ca", "us", "mx", "br", "ar", "cl", "eu", "ly",
    "gg", "to", "gl",
))

PLATFORMS = (
    "instagram", "insta", "ig", "snapchat", "snap", "tiktok", "tik tok", "discord",
    "whatsapp", "whats app", "telegram", "facebook", "fb", "messenger", "twitter",
    "threads", "youtube", "yt", "twitch", "kik", "wechat", "line", "skype", "signal",
    "roblox", "minecraft", "steam", "xbox", "psn", "reddit", "bereal", "pinterest",
)

DIGIT_WORDS = {
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
    # The partner classes' languages: German, French, Spanish.
    "null": "0", "eins": "1", "zwei": "2", "drei": "3", "vier": "4", "fünf": "5",
    "sechs": "6", "sieben": "7", "acht": "8", "neun": "9",
    "zéro": "0", "un": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5",
    "sept": "7", "huit": "8", "neuf": "9",
    "cero": "0", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5",
    "seis": "6", "siete": "7", "ocho": "8", "nueve": "9",
}

MIN_PHONE_DIGITS = 7

REASONS = {
    "email": gettext_lazy("it looks like an e-mail address"),
    "phone": gettext_lazy("it looks like a phone number"),
    "url": gettext_lazy("it looks like a web address"),
    "handle": gettext_lazy("it looks like a social-media account"),
}


@dataclass(frozen=True)
class ContactDetail:
    kind: str  # email, phone, url or handle
    found: str  # the text that matched, for the audit and the tests

    @property
    def reason(self) -> str:
        """Why the text is refused, in the active language; only pupils' text is checked,
        so it speaks to a pupil (German "du")."""
        return pgettext(
            "to a pupil",
            "Contact details cannot be shared here: %(reason)s. "
            "Keep the conversation on Jumelage, where your teachers can help."
        ) % {"reason": REASONS[self.kind]}


_AT = r"(?:\s*[@＠]\s*|\s*[\(\[\{<]\s*(?:at|@)\s*[\)\]\}>]\s*|\s+at\s+|\s+arroba\s+|\s+chez\s+)"
# Not "x . y" with spaces: "at school. It was fun" is a sentence, not an address.
_DOT = (
    r"(?:\.|\s*[\(\[\{<]\s*(?:dot|punkt|point|punto|\.)\s*[\)\]\}>]\s*"
    r"|\s+(?:dot|punkt|point|punto)\s+)"
)

_EMAIL_PLAIN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
_EMAIL_DISGUISED = re.compile(
    rf"\b[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}(?P<tld>[a-z]{{2,6}})\b", re.IGNORECASE
)
_URL_SCHEME = re.compile(r"\b(?:https?|ftp)\s*:\s*/\s*/\S*|\bwww\s*(?:\.|dot\b|\(dot\))\s*\S*",
                         re.IGNORECASE)
# A bare domain: the top-level domain is typed in lower case ("roblox.com", "Kiel.de"),
# so that a sentence run together ("I like it.It is") is not a domain.
_DOMAIN = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?P<tld>[a-z]{2,6})\b(?:/\S*)?")
_DOMAIN_DISGUISED = re.compile(
    r"\b[\w-]+\s*(?:\s(?:dot|punkt|point|punto)\s|[\(\[\{<]\s*(?:dot|\.)\s*[\)\]\}>])\s*"
    r"(?P<tld>[a-z]{2,6})\b",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w.@＠])[@＠][A-Za-z0-9_][A-Za-z0-9_.]{1,29}")
_PLATFORM_WORDS = "|".join(re.escape(p).replace(r"\ ", r"\s?") for p in PLATFORMS)
# "insta: x", "snapchat = x", "my snap is x", "mein insta ist x", "discord name x#1234"
_MY = r"(?:my|mein|meine|meinen|mon|ma|mes|mi|mis)"
_NAME = r"(?:name|id|handle|username|user|account|acc|nick|nickname|tag|code|nummer|number)"
_PLATFORM_HANDLE = re.compile(
    rf"\b(?:{_PLATFORM_WORDS})\b\s*(?:{_NAME}\s*)?[:=]+\s*[@＠]?[A-Za-z0-9_.#]{{2,}}"
    rf"|\b{_MY}\s+(?:{_PLATFORM_WORDS})\b(?:\s+{_NAME})?\s*(?:\s(?:is|ist|est|es)|:)\s*"
    rf"[@＠]?[A-Za-z0-9_.#]{{2,}}"
    rf"|\b(?:{_PLATFORM_WORDS})\s+{_NAME}\s*(?:is|ist|est|es|:)?\s*[@＠]?[A-Za-z0-9_.#]{{2,}}",
    re.IGNORECASE,
)
# "add me on snap", "follow me on insta", "text me on whatsapp", "dm me"
_ASK_CONTACT = re.compile(
    rf"\b(?:add|follow|message|msg|text|call|ring|dm|find|contact|write|chat\s+with)\s+me\b"
    rf"(?:\s+(?:on|at|in|via|@)\s+(?:{_PLATFORM_WORDS})\b|\s+(?:privately|in\s+private))"
    rf"|\b(?:{_PLATFORM_WORDS})\s+me\b|\bdm\s+me\b",
    re.IGNORECASE,
)
_PHONE = re.compile(rf"(?:\+|\b00|\b)\d(?:[\s().\-/–]{{0,3}}\d){{{MIN_PHONE_DIGITS - 1},}}")
# Dates and times are not phone numbers: 2026-12-03, 03.12.2026, 3/12/26, 14:00-15:15.
_DATE = re.compile(
    r"\b\d{4}[-./]\d{1,2}[-./]\d{1,2}\b|\b\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\b|\b\d{1,2}:\d{2}\b"
)
_WORD = re.compile(r"[^\W\d_]+|\d+|[^\w\s]", re.UNICODE)


def _normalise(text: str) -> str:
    """Fold look-alike characters (full-width letters and digits, ligatures) to ASCII
    and drop invisible ones, so that "７７００" and "ｇｍａｉｌ" read as what they are."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Mn"))


def _digits_spelled_out(text: str) -> str:
    """The text with digit words replaced by digits: "seven seven zero zero" -> "7 7 0 0"."""
    return _WORD.sub(lambda m: DIGIT_WORDS.get(m.group(0).lower(), m.group(0)), text)


def _is_counting(candidate: str) -> bool:
    """1 2 3 4 5 6 7 8 9 10 (a class counting) is not a phone number."""
    numbers = [int(group) for group in re.findall(r"\d+", candidate)]
    return len(numbers) >= 3 and all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))


def _phone(text: str) -> str | None:
    for candidate in (text, _digits_spelled_out(text)):
        candidate = _DATE.sub(" ", candidate)
        for match in _PHONE.finditer(candidate):
            digits = re.sub(r"\D", "", match.group(0))
            if len(digits) >= MIN_PHONE_DIGITS and not _is_counting(match.group(0)):
                return match.group(0).strip()
    return None


def _domain(text: str) -> str | None:
    for pattern in (_DOMAIN, _DOMAIN_DISGUISED):
        for match in pattern.finditer(text):
            tld = match.group("tld")
            if pattern is _DOMAIN and tld != tld.lower():
                continue
            if tld.lower() in TLDS:
                return match.group(0)
    return None


def find_contact_detail(text: str) -> ContactDetail | None:
    """The first contact detail in ``text``, or None when there is none."""
    text = _normalise(text)
    match = _EMAIL_PLAIN.search(text)
    if match:
        return ContactDetail("email", match.group(0))
    for match in _EMAIL_DISGUISED.finditer(text):
        if match.group("tld").lower() in TLDS:
            return ContactDetail("email", match.group(0))
    match = _URL_SCHEME.search(text)
    if match:
        return ContactDetail("url", match.group(0))
    found = _domain(text)
    if found:
        return ContactDetail("url", found)
    found = _phone(text)
    if found:
        return ContactDetail("phone", found)
    for pattern in (_HANDLE, _PLATFORM_HANDLE, _ASK_CONTACT):
        match = pattern.search(text)
        if match:
            return ContactDetail("handle", match.group(0))
    return None
