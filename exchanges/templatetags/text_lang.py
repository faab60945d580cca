"""``{{ text|in_lang:code }}``: people's text in its own ``<bdi>`` marked ``lang="code"``
(escaped), for text set inside a sentence of the page's language, such as a correction
inside "… suggests: …", whose msgid stays as it is. ``<bdi>`` isolates its direction, as
``dir="auto"`` does for a message's own text: Arabic inside an English sentence neither
reorders the sentence nor is reordered by it. A blank code (unknown) gives no ``lang``."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def in_lang(text: str, code: str) -> str:
    if not code:
        return format_html("<bdi>{}</bdi>", text)
    return format_html('<bdi lang="{}">{}</bdi>', code, text)
