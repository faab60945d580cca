"""Accessible, the rest (issue 13): every HTML page of the authorization table that the
other axe walks do not open (``tests/journeys/page_coverage.py`` names them), opened as a
role that may see it, with the checks of the other walks (``PageWalk``: it loads whole,
and has one <h1>, a <title> with words and its language on <html>), and every page of the
Django admin the superuser may open (its index, the app's, and each registered model's
list, add, change and delete pages).

Same world as test_accessibility_pages.py, and a few people it has not: a newcomer whose
address is not yet confirmed (the real confirmation link), one with a password-reset link
of their own, and one without a password (allauth's "set a password" page).
"""

import pytest
from django.urls import reverse

from tests.authorization_table import TABLE
from tests.journeys import page_coverage
from tests.journeys.live import PageWalk, browser_page, run_script

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(600)]

WORLD = """
import json
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from tests.authorization_world import build_walk_world
from tests.factories import UserFactory
from tests.test_authorization_matrix import admin_table

world = build_walk_world()
# Someone who signed up and has the confirmation e-mail in hand.
unconfirmed = UserFactory()
address = EmailAddress.objects.create(user=unconfirmed, email=unconfirmed.email,
                                      verified=False, primary=True)
# Someone who asked to reset their password and follows the link.
forgetful = UserFactory()
# Someone without a usable password (made by an admin): allauth asks for one.
passwordless = UserFactory()
passwordless.set_unusable_password()
passwordless.save(update_fields=["password"])
print(json.dumps({
    "cookie": settings.SESSION_COOKIE_NAME,
    "sessions": {role: session(user) for role, user in world.users.items() if user}
    | {"passwordless": session(passwordless)},
    "ids": world.ids | {
        "email_key": EmailConfirmationHMAC(address).key,
        "reset_uid": user_pk_to_url_str(forgetful),
        "reset_key": default_token_generator.make_token(forgetful),
    },
    "admin": {name: url for name, (url, _row) in admin_table(world).items()},
}, default=str))
"""

# role -> (page, URL name, URL kwarg -> world key, or a literal the world does not have).
PAGES = {
    "anonymous": [
        ("account inactive", "account_inactive", {}),
        ("confirming an address", "account_confirm_email", {"key": "email_key"}),
        ("confirming an address, a bad link", "account_confirm_email", {"key": "x1"}),
        ("new password", "account_reset_password_from_key",
         {"uidb36": "reset_uid", "key": "reset_key"}),
        ("new password, a bad link", "account_reset_password_from_key",
         {"uidb36": "x1", "key": "x1"}),
        ("new password set", "account_reset_password_from_key_done", {}),
    ],
    "participant": [
        ("rooms", "room_list", {}),
        ("confirm it's you", "account_reauthenticate", {}),
        ("confirm it's you, by code", "account_request_reauthentication_code", {}),
    ],
    "pupil": [
        ("rooms", "room_list", {}),
    ],
    "teacher": [
        ("rooms", "room_list", {}),
        ("deleting a class in an exchange", "classroom_delete", {"classroom_id": "classroom"}),
    ],
    "officer": [
        ("rooms, none", "room_list", {}),
    ],
    "passwordless": [
        ("set a password", "account_set_password", {}),
    ],
}

# Pages whose address moves on when opened (allauth keeps a reset key out of the URL).
MOVES_ON = {"new password"}

# The admin's pages opened (as the superuser): its index, the app's, and each registered
# model's list, add, change and delete pages where the superuser may open them.
ADMIN_VIEWS = ("index", "app_list", "changelist", "add", "change", "delete")


def admin_walked() -> list[str]:
    """URL names of the admin's pages this walk opens."""
    from tests.test_authorization_matrix import admin_pages  # needs Django set up

    return [name for name, row in admin_pages().items()
            if name.removeprefix("admin:").endswith(ADMIN_VIEWS)
            and row.expected("superuser", "GET") == 200]


def _url(made: dict, name: str, args: dict) -> str:
    return reverse(name, kwargs={k: made["ids"].get(v, v) for k, v in args.items()})


def test_the_coverage_lists_name_pages_of_the_table():
    """Each page this walk opens is a row of the table, and none is left unopened."""
    pages = page_coverage.html_pages()
    assert "room_list" in pages and "program_metrics_csv" not in pages
    assert set(page_coverage.NOT_HTML) <= set(TABLE)
    assert page_coverage.uncovered() == []
    walked = admin_walked()
    assert {"admin:index", "admin:exchanges_twinning_changelist",
            "admin:exchanges_twinning_add"} <= set(walked)
    assert "admin:exchanges_auditevent_add" not in walked  # refused: the log is read only


def test_every_other_page_and_the_error_pages_have_no_serious_violation(live_platform, browser):
    base = live_platform.url
    made = run_script(live_platform.env, WORLD)
    walk = PageWalk()
    for role, listed in PAGES.items():
        page = browser_page(browser, base, made, role)
        for label, name, args in listed:
            url = _url(made, name, args)
            walk.visit(page, base + url, f"{role}: {label} ({url})", stays=label not in MOVES_ON)
        page.context.close()
    _error_pages(browser, base, made, walk)
    _admin_pages(browser, base, made, walk)
    walk.assert_clean()


# Error pages the live platform (DEBUG on) answers with Django's technical pages instead:
# rendered here, with DEBUG off as in production, and served in the browser at a live
# address (its style sheets and icon from the platform).
def _rendered_error_pages() -> dict[str, tuple[int, str]]:
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import SuspiciousOperation
    from django.shortcuts import render
    from django.test import Client, RequestFactory
    from django.views.csrf import csrf_failure
    from django.views.defaults import bad_request, server_error

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    pages = {
        "page not found": Client().get("/no-such-page/"),
        "request not understood": bad_request(request, SuspiciousOperation()),
        "form not sent (CSRF)": csrf_failure(request, reason="CSRF cookie not set."),
        "too many attempts": render(request, "429.html", status=429),
        "something went wrong": server_error(request),
    }
    return {label: (response.status_code, response.content.decode())
            for label, response in pages.items()}


def _answer(status: int, html: str):
    def fulfill(route):
        route.fulfill(status=status, body=html, content_type="text/html; charset=utf-8")
    return fulfill


def _error_pages(browser, base: str, made: dict, walk: PageWalk) -> None:
    # What the platform itself answers: a pupil on a teachers' page, a button's address
    # visited (its form was sent after the session ended).
    live = [("pupil", "not allowed", "/classes/", 403),
            ("participant", "press the button again",
             _url(made, "match_accept", {"match_id": "proposed_match"}), 405)]
    for role, label, url, status in live:
        page = browser_page(browser, base, made, role)
        answered = page.goto(base + url)
        page.wait_for_load_state("networkidle")
        assert answered.status == status, f"{label}: {answered.status}"
        walk.check(page, f"{role}: {label} ({url})")
        page.context.close()
    page = browser_page(browser, base, made, "anonymous")
    for label, (status, html) in _rendered_error_pages().items():
        url = "/error-page/" + label.split()[0] + "/"
        page.route(base + url, _answer(status, html))
        walk.visit(page, base + url, f"anonymous: {label} ({status})", stays=False)


def _admin_pages(browser, base: str, made: dict, walk: PageWalk) -> None:
    """Django's admin, its markup and scripts named where they leave a box nameless
    (exchanges/admin/names.py, static/js/admin_names.js): held to the same axe rules."""
    page = browser_page(browser, base, made, "superuser")
    for name in admin_walked():
        url = made["admin"][name]
        # Django sizes its tabular inlines' rows (a row holds the hidden fields too).
        walk.visit(page, base + url, f"superuser: {name} ({url})", stays=False,
                   wide_ok=True, rows_ok=True)
