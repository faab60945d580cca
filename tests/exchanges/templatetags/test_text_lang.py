"""``in_lang``: people's text in an element of its own language and direction, escaped
either way."""

from exchanges.templatetags.text_lang import in_lang


def test_text_in_a_known_language_gets_its_own_element_escaped():
    assert in_lang("Ich <b>ging</b>", "de") == '<bdi lang="de">Ich &lt;b&gt;ging&lt;/b&gt;</bdi>'


def test_text_in_an_unknown_language_keeps_its_direction_without_a_lang():
    assert in_lang("a <i>b</i>", "") == "<bdi>a &lt;i&gt;b&lt;/i&gt;</bdi>"


def test_the_code_is_escaped_too():
    assert in_lang("x", 'de" onclick="y') == '<bdi lang="de&quot; onclick=&quot;y">x</bdi>'
