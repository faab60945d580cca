"""Names refuse what draws nothing or reorders itself; long text drops the reordering
runs and reads as empty when nothing visible is left; real scripts pass untouched."""

import unicodedata

import pytest

from exchanges.pure.text_safety import NameRefused, has_visible, name_clean, text_clean

ZWSP, ZWNJ, ZWJ = "\u200b", "\u200c", "\u200d"
RLO, PDF, LRM, RLM = "\u202e", "\u202c", "\u200e", "\u200f"

# Names and sentences in scripts people here write in; each must pass as typed.
LEGIT_NAMES = [
    "Amelia K.",
    "Zoë",
    "さくら",
    "山田 太郎",
    "محمد",
    "דנה כ.",
    "अमेलिया",  # Devanagari: vowel signs are combining marks
    "क्षिति",  # virama conjunct
    "علی\u200cرضا",  # Persian: ZWNJ inside the name
    "👩\u200d💻 Kim",  # an emoji ZWJ sequence
]


@pytest.mark.parametrize("name", LEGIT_NAMES)
def test_names_in_real_scripts_pass_unchanged(name):
    assert name_clean(name) == name


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        ZWSP,
        ZWSP + ZWSP + " ",
        "\ufeff",  # byte-order mark
        "\u2060",  # word joiner
        ZWNJ + ZWJ,
        "\u0301",  # a combining acute with no letter
        "\u093e",  # a Devanagari vowel sign alone (a spacing mark)
        "\u3164",  # Hangul filler: a "letter" that draws nothing
        "\u2800",  # blank Braille pattern
        "\u00a0\u3000",  # no-break and ideographic spaces
        RLO + PDF,
    ],
)
def test_text_with_nothing_visible_is_blank(text):
    assert not has_visible(text)
    assert text_clean(text) == ""
    with pytest.raises(NameRefused) as caught:
        name_clean(text)
    assert caught.value.reason == NameRefused.BLANK


@pytest.mark.parametrize("name", ["\u200b", " \u200b\u200b ", "\u3164", "\u0301"])
def test_a_name_of_invisible_characters_is_refused_as_blank(name):
    with pytest.raises(NameRefused) as caught:
        name_clean(name)
    assert caught.value.reason == NameRefused.BLANK


@pytest.mark.parametrize(
    ("name", "hidden"),
    [
        (RLO + "evil", RLO),
        ("Anna" + RLO + "ssa", RLO),
        ("\u2067Omar\u2069", "\u2067"),  # right-to-left isolate
        ("\u202aSam\u202c", "\u202a"),  # left-to-right embedding
        (LRM + "Dana", LRM),
        ("Dana" + RLM, RLM),
        ("\u061cعلي", "\u061c"),  # Arabic letter mark
        ("An" + ZWSP + "na", ZWSP),  # "Anna" twice in a class, told apart by nothing
        ("Li\ufeffa", "\ufeff"),
        ("Mia\u00ad", "\u00ad"),  # soft hyphen
        ("Tom\x07", "\x07"),
    ],
)
def test_a_name_with_a_bidi_control_or_hidden_format_character_is_refused(name, hidden):
    with pytest.raises(NameRefused) as caught:
        name_clean(name)
    assert caught.value.reason == NameRefused.HIDDEN
    assert caught.value.character == hidden


def test_a_name_is_nfc_with_one_space_between_words_and_no_joiner_at_its_ends():
    assert name_clean("  Ame\u0301lie \t  K.  ") == "Amélie K."
    assert name_clean(ZWNJ + "Sara" + ZWJ) == "Sara"


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("see you " + RLO + "olleh" + PDF + " soon", "see you olleh soon"),
        ("\u2066x = 1\u2069", "x = 1"),
        ("  Cafe\u0301  ", "Café"),
    ],
)
def test_long_text_loses_the_reordering_runs_and_is_nfc(text, stored):
    assert text_clean(text) == stored


@pytest.mark.parametrize(
    "text",
    [
        "שלום, מה שלומך?",
        "مرحبا! كيف حالك؟",
        "אני גר ב-Tel Aviv" + RLM + ".",  # an RLM placing the full stop is kept
        "नमस्ते, आप कैसे हैं?",
        "می\u200cخواهم بیایم",  # ZWNJ inside a Persian word
        "今日は晴れです。",
        "👨\u200d👩\u200d👧",  # a family: one emoji made of three and two ZWJs
        "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",  # flag of England
        "\U0001fa75",  # an emoji newer than some Unicode tables
        "line one\nline two",
    ],
)
def test_long_text_in_real_scripts_and_emoji_is_kept(text):
    assert text_clean(text) == unicodedata.normalize("NFC", text)
    assert has_visible(text)
