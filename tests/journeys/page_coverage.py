"""Which pages of the authorization table an axe walk opens, and which it does not.

A page here is a row of ``tests/authorization_table.py`` that some role GETs with a 200
and that renders a whole HTML page, or a page of the Django admin the superuser opens
(``admin_pages`` of ``tests/test_authorization_matrix.py``, by URL name); a walk opens it
when one of the accessibility journeys lists its URL name with the same world keys
(``room_detail`` of the tandem's room and ``room_detail@class`` of the class room are two
pages). The walks' lists are imported, not grepped, so a page renamed in one place shows
here at once.

    .venv/bin/python -m tests.journeys.page_coverage   # uncovered, one a line
"""

# Rows answered with a 200 that are not a whole HTML page to check.
NOT_HTML = {
    "healthz": "JSON",
    "transparency_json": "JSON",
    "javascript_catalog": "JavaScript",
    "account_data": "JSON download",
    "session_ics": "iCalendar",
    "class_session_ics": "iCalendar",
    "calendar_feed": "iCalendar",
    "teacher_calendar_feed": "iCalendar",
    "room_sent": "JSON",
    "room_timer": "htmx fragment of the room page",
    "room_timer@class": "htmx fragment of the room page",
    "program_metrics_json": "JSON",
    "program_metrics_csv": "CSV",
    "wall_image": "an image",
    "wall_export": "ZIP download",
}


def html_pages() -> dict[str, tuple[str, frozenset]]:
    """Table key -> (URL name, its URL kwargs as world keys), for every HTML page some
    role may GET (a role let in, or the rows whose ``also`` opens it to one), and the
    admin's pages (URL name -> (URL name, no kwargs))."""
    from tests.authorization_table import RULES, TABLE  # needs Django set up
    from tests.test_authorization_matrix import admin_pages

    found = {}
    for key, row in TABLE.items():
        if key in NOT_HTML:
            continue
        roles = set(RULES[row.who]) | {role for role in _roles_named(row)}
        if any(row.expected(role, "GET") == 200 for role in roles):
            found[key] = (key.split("@")[0], frozenset(row.args.items()))
    found |= {name: (name, frozenset()) for name, row in admin_pages().items()
              if row.expected("superuser", "GET") == 200}
    return found


def _roles_named(row) -> set[str]:
    return {entry if isinstance(entry, str) else entry[0] for entry in row.also}


def walked() -> set[tuple[str, frozenset]]:
    """(URL name, URL kwargs as world keys) of every page an axe walk opens."""
    from tests.journeys import (
        test_accessibility_every_page,
        test_accessibility_forms_sent,
        test_accessibility_pages,
    )

    found = set()
    for module in (test_accessibility_pages, test_accessibility_forms_sent,
                   test_accessibility_every_page):
        for listed in module.PAGES.values():
            found |= {(name, frozenset(args.items())) for _label, name, args in listed}
    # The admin's pages, as the every-page walk picks them.
    found |= {(name, frozenset()) for name in test_accessibility_every_page.admin_walked()}
    # Walks of their own: the tandem's room (test_accessibility_room) and the wall with a
    # rejected post (test_wall_rejected_post_browser).
    found |= {("room_detail", frozenset({("room_id", "room")})),
              ("wall", frozenset({("exchange_id", "exchange")}))}
    return found


def uncovered() -> list[str]:
    opened = walked()
    return sorted(key for key, page in html_pages().items() if page not in opened)


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # the test settings, as pytest has them
    django.setup()
    for key in uncovered():
        print(key)
