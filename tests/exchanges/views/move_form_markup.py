"""Reads a session's move form off a page: the time in its field, whether the field is
marked invalid, and the errors shown inside the form (a refused move comes back so)."""

import html
import re
from dataclasses import dataclass

ERROR = r'<p class="error" role="alert"[^>]*>(.*?)</p>'


@dataclass(frozen=True)
class MoveForm:
    value: str | None
    invalid: bool
    errors: list[str]
    opened: bool  # the class page's <details> around it is open


def move_form(page: str, action: str) -> MoveForm:
    start = page.index(f'action="{action}"')
    form = page[start:page.index("</form>", start)]
    field = re.search(r'<input type="datetime-local"[^>]*name="new_start"[^>]*>', form)
    value = re.search(r'value="([^"]*)"', field.group(0)) if field else None
    details = page.rfind("<details", 0, start)
    return MoveForm(
        value=html.unescape(value.group(1)) if value else None,
        invalid=bool(field) and 'aria-invalid="true"' in field.group(0),
        errors=[html.unescape(e) for e in re.findall(ERROR, form)],
        opened=details != -1 and page[details:page.index(">", details)].endswith(" open"),
    )
