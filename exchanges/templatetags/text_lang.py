"""``{{ text|in_lang:code }}``: people's text in its own element marked ``lang="code"``
(escaped), for text set inside a sentence of the page's language, such as a correction
inside "… suggests: …", whose msgid stays as it is. A blank code (unknown) leaves the
text as it is, escaped: the page's language, as before."""

from django import template
from django.utils.html import conditional_escape, format_html

register = template.Library()


@register.filter
def in_lang(text: str, code: str) -> str:
    if not code:
        return conditional_escape(text)
    return format_html('<span lang="{}">{}</span>', code, text)
