"""``{% paged_title %}…{% endpaged_title %}``: the title inside, and on a paginated list's
second page or later (a Paginator ``page`` in the context) which page it is, so browser
tabs, history and bookmarks, and a screen reader's first words, tell the pages apart."""

from django import template
from django.core.paginator import Page
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.tag
def paged_title(parser, token):
    nodelist = parser.parse(("endpaged_title",))
    parser.delete_first_token()
    return PagedTitleNode(nodelist)


class PagedTitleNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        title = self.nodelist.render(context)  # escaped by the template already
        page = context.get("page")
        if not isinstance(page, Page) or page.number < 2:
            return title
        # The whole phrase is one message: languages place the page number their own way.
        phrase = escape(_("%(title)s — page %(number)s of %(total)s"))
        return mark_safe(phrase % {  # noqa: S308 - the phrase and the title are escaped
            "title": title, "number": page.number, "total": page.paginator.num_pages,
        })
