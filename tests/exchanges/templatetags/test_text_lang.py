"""``in_lang``: people's text in an element of its own language, escaped either way."""

from exchanges.templatetags.text_lang import in_lang


def test_text_in_a_known_language_gets_its_own_element_escaped():
    assert in_lang("Ich <b>ging</b>", "de") == '<span lang="de">Ich &lt;b&gt;ging&lt;/b&gt;</span>'


def test_text_in_an_unknown_language_stays_bare_and_escaped():
    assert in_lang("a <i>b</i>", "") == "a &lt;i&gt;b&lt;/i&gt;"


def test_the_code_is_escaped_too():
    assert in_lang("x", 'de" onclick="y') == '<span lang="de&quot; onclick=&quot;y">x</span>'
