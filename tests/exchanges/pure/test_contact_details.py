"""The contact-detail detector: pupils cannot move the conversation off the platform."""

import re

import pytest
from django.utils import translation

from exchanges.pure.contact_details import find_contact_detail


@pytest.mark.parametrize(
    "text",
    [
        "write to me: lena.k@gmail.com",
        "LENA_K@GMX.DE",
        "lena at gmail dot com",
        "lena (at) gmail (dot) com",
        "lena [at] web [dot] de",
        "lena{at}outlook.fr",
        "lena @ gmail.com",
        "lena＠ｇｍａｉｌ．ｃｏｍ",  # full-width look-alikes
        "lena at yahoo.co.uk",
        "lena punkt k at gmx punkt de",
    ],
)
def test_email_addresses_plain_and_disguised_are_found(text):
    found = find_contact_detail(text)
    assert found is not None and found.kind == "email", (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "+44 7700 900123",
        "call me on 07700 900123",
        "0049 (0)351 123 4567",
        "my number is 0351-123-4567",
        "0 7 7 0 0 9 0 0 1 2 3",
        "seven seven zero zero nine zero zero one two three",
        "sieben sieben null null neun null null eins zwei",
        "07700.900.123",
        "０７７００ ９００１２３",
    ],
)
def test_phone_numbers_are_found(text):
    found = find_contact_detail(text)
    assert found is not None and found.kind == "phone", (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "look at https://example.org/page",
        "http ://evil.example",
        "www.minecraft-server.net",
        "www dot myblog dot com",
        "go to roblox.com/users/123",
        "my site is lena-k.de",
        "lenaspage dot com",
        "lenaspage (dot) net",
    ],
)
def test_web_addresses_are_found(text):
    found = find_contact_detail(text)
    assert found is not None and found.kind == "url", (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "follow @lena_k2013",
        "insta: lena.k",
        "Insta:lena.k",
        "snapchat = lenak13",
        "my snap is lenak13",
        "mein Insta ist lena.k",
        "discord name lena#1234",
        "tiktok @lena",
        "add me on snap",
        "follow me on instagram!",
        "whatsapp me",
        "dm me",
    ],
)
def test_social_media_handles_are_found(text):
    found = find_contact_detail(text)
    assert found is not None and found.kind == "handle", (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "Hello! My name is Lena and I live in Dresden.",
        "We meet at school. Then we eat lunch at 12:30.",
        "I like it.It is fun.",
        "My birthday is on 03.12.2013 and the trip is 2026-12-03.",
        "Our lesson is from 14:00-15:15 on Tuesday.",
        "I have 2 brothers, 1 sister and 3 cats.",
        "We count: 1 2 3 4 5 6 7 8 9 10",
        "one two three four five six seven eight nine",
        "I play Minecraft and watch YouTube videos.",
        "I like TikTok dances.",
        "It costs 3.50 euros, e.g. one ice cream.",
        "I am at home now.",
        "What is your favourite food? Mine is pizza.",
        "Mein Lieblingsessen ist Pizza. Wie alt bist du?",
        "J'habite à Nerima, c'est au Japon.",
        "The score was 3 - 2 for our team.",
        "Our school has 1200 pupils and the bus leaves at 07.45.",
        "Do you have Instagram? I love Snapchat filters.",
        "Mein Handy ist kaputt. What is your snap?",
        "Call me Ishmael. Add me to the group!",
        "Ich mag Pizza.Und du?",
        "",
    ],
)
def test_ordinary_sentences_pass(text):
    assert find_contact_detail(text) is None


def test_the_reason_names_what_was_found_so_the_pupil_can_rephrase():
    found = find_contact_detail("lena at gmail dot com")
    assert "e-mail address" in found.reason
    assert found.reason.startswith("Contact details cannot be shared here")
    assert "phone number" in find_contact_detail("+44 7700 900123").reason
    assert "social-media" in find_contact_detail("insta: x_y").reason
    assert "web address" in find_contact_detail("www.example.org").reason


def test_invisible_characters_do_not_hide_an_address():
    assert find_contact_detail("lena\u200b@\u200bgmail.com").kind == "email"


def test_the_reason_speaks_to_the_pupil_as_du_in_german():
    """Only pupils' text is checked: the German reason never says "Sie"."""
    with translation.override("de"):
        reason = find_contact_detail("lena at gmail dot com").reason
    assert not re.search(r"\b(Sie|Ihre?[mnrs]?|Ihnen)\b", reason), reason
