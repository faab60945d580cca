"""The authorization matrix (issue 11): every URL of the platform, allauth's and the
admin's × every role × GET and POST, against one table of expected statuses.

Each row of ``TABLE`` (in ``tests/authorization_table.py``) names the URL's arguments
(world keys) and who may use it, as one of the access rules of ``RULES`` (from DESIGN's
"What each role sees" and README's Security section); ``Row`` expands it to a status per
(role, method): what a role let in gets (``get``, ``post``), what a signed-in role kept
out gets (``denied``: 404 where the thing belongs to someone, so its existence stays
hidden), what anonymous gets (``anonymous``: the sign-in page), role-wide refusals
whatever the object (``GATES``: a pupil never reaches teachers' pages, 403), and per-cell
exceptions (``also``). A 405 in ``get`` or ``post`` is the method refused to everyone
signed in (anonymous is sent to sign in first); ``SAME`` is a page that reads and answers
a POST as a GET. ``LOGIN`` is a redirect to a sign-in page; an exception in a view is
reported as its cell's "500".

A URL name missing from the table fails the test: new URLs must be added to the table.
A URL walked with other objects too has more rows, ``name@what``.

Each role's client signs in once; every request runs in a savepoint that is rolled back
(a logout or a password change too, with the client's cookies), so one world serves
every cell.
"""

import logging
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from exchanges.models import TeacherCalendar
from tests.authorization_table import LOGIN, TABLE, Row
from tests.authorization_world import ROLES, World, admin_rows, build_world
from tests.exchanges.classroom_fixtures import PUPIL_BACKEND

pytestmark = pytest.mark.django_db

def platform_routes() -> dict[str, object]:
    """Every named URL outside the admin (the platform's and allauth's), with its pattern."""
    found = {}

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif entry.name and not prefix.startswith("admin/"):
                found[entry.name] = entry.pattern

    walk(get_resolver().url_patterns)
    return found


ADMIN_ROW = Row("superuser_only", get=200, post=200, denied=LOGIN)
# The audit log is read only in the admin: the superuser reads it, nobody writes it.
ADMIN_READ_ONLY = Row("superuser_only", get=403, post=403, denied=LOGIN)
ADMIN_READ_ONLY_CHANGE = Row("superuser_only", get=200, post=403, denied=LOGIN)
READ_ONLY_MODELS = {"auditevent"}


def admin_pages() -> dict[str, Row]:
    """admin:index, one app index, and changelist/add/change/delete of every registered
    model; for everyone else the admin answers with its sign-in, which refuses them."""
    pages = {"admin:index": ADMIN_ROW, "admin:app_list": ADMIN_ROW}
    for model in admin.site._registry:
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        read_only = model._meta.model_name in READ_ONLY_MODELS
        writes, change = ((ADMIN_READ_ONLY, ADMIN_READ_ONLY_CHANGE) if read_only
                          else (ADMIN_ROW, ADMIN_ROW))
        pages |= {f"{base}_changelist": ADMIN_ROW, f"{base}_add": writes,
                  f"{base}_change": change, f"{base}_delete": writes}
    return pages


def admin_table(world: World) -> dict[str, tuple[str, Row]]:
    """Each of ``admin_pages`` with its URL: a change or delete page shows the model's
    first row (``admin_rows``)."""
    first = {f"admin:{model._meta.app_label}_{model._meta.model_name}": row
             for model, row in admin_rows().items()}
    urls = {}
    for name, row in admin_pages().items():
        model, _, view = name.rpartition("_")
        args = (["exchanges"] if name == "admin:app_list"
                else [first[model].pk] if view in ("change", "delete") else [])
        urls[name] = (reverse(name, args=args), row)
    return urls


class _Undo(Exception):
    """Carries the answer out of the savepoint it rolls back."""


def _sign_in_pages() -> tuple[str, ...]:
    return (reverse("account_login"), reverse("admin:login"), reverse("join"))


def signed_in_clients(world: World) -> dict:
    """One client per role, signed in once (pupils through the pupils' backend)."""
    clients = {}
    for role, user in world.users.items():
        clients[role] = Client()
        if user is not None:
            clients[role].force_login(user, backend=PUPIL_BACKEND if user.is_pupil else None)
    return clients


def answer(client, method: str, url: str) -> int | str:
    """The status of one request, what it wrote rolled back (a logout or a password
    change too, cookies included); a redirect to a sign-in page is ``LOGIN``, an
    exception its name."""
    cookies = SimpleCookie()
    cookies.update(client.cookies)
    try:
        with transaction.atomic():
            try:
                response = client.get(url) if method == "GET" else client.post(url)
            except Exception as error:  # noqa: BLE001 - the cell reports it
                raise _Undo(f"500 {type(error).__name__}") from error
            got = response.status_code
            if got == 302 and urlsplit(response["Location"]).path in _sign_in_pages():
                got = LOGIN
            raise _Undo(got)
    except _Undo as undone:
        return undone.args[0]
    finally:
        client.cookies = cookies


def check_table_covers_every_url() -> None:
    routes = platform_routes()
    named = {key.split("@")[0] for key in TABLE}
    missing = sorted(set(routes) - named)
    assert not missing, f"new URLs must be added to TABLE: {missing}"
    stale = sorted(named - set(routes))
    assert not stale, f"TABLE rows for URLs that no longer exist: {stale}"


def cells(world: World) -> list[tuple[str, str, Row]]:
    check_table_covers_every_url()
    found = []
    for name, row in sorted(TABLE.items()):
        kwargs = {kwarg: world.ids.get(key, key) for kwarg, key in row.args.items()}
        found.append((name, reverse(name.split("@")[0], kwargs=kwargs), row))
    found += [(name, url, row) for name, (url, row) in sorted(admin_table(world).items())]
    return found


def test_every_url_answers_every_role_as_the_table_says(caplog):
    caplog.set_level(logging.CRITICAL, logger="django.request")  # 4xx are the point here
    world = build_world()
    clients = signed_in_clients(world)
    mismatches = []
    for name, url, row in cells(world):
        for role in ROLES:
            for method in ("GET", "POST"):
                got = answer(clients[role], method, url)
                expected = row.expected(role, method)
                if got != expected:
                    mismatches.append(f"{name:40} {role:14} {method:5} expected {expected}, "
                                      f"got {got}  ({url})")
    assert not mismatches, f"{len(mismatches)} cells differ:\n" + "\n".join(mismatches)



def test_a_url_missing_from_the_table_fails_with_its_name(monkeypatch):
    monkeypatch.delitem(TABLE, "room_block")
    with pytest.raises(AssertionError, match=r"new URLs must be added to TABLE: \['room_block'\]"):
        check_table_covers_every_url()


def test_a_row_expands_its_rule_to_every_role():
    row = TABLE["room_block"]
    assert [row.expected(role, "GET") for role in ROLES] == [
        LOGIN, 405, 405, 405, 405, 405, 405, 405, 405]
    assert [row.expected(role, "POST") for role in ROLES] == [
        LOGIN, 302, 302, 404, 404, 404, 404, 404, 404]


def test_only_teachers_have_a_teacher_calendar(client):
    """Regression: the page made a feed token for anyone signed in (a GET that wrote)."""
    world = build_world()
    for role in ("participant", "officer", "superuser"):
        client.force_login(world.users[role])
        assert client.get(reverse("teacher_calendar")).status_code == 403
        assert client.post(reverse("teacher_calendar_rotate")).status_code == 403
    assert not TeacherCalendar.objects.exclude(user=world.users["teacher"]).exists()


def test_a_pupil_cannot_see_nor_add_an_email_address(client):
    """Regression: /accounts/email/ showed a pupil's hidden address and let them add one,
    which mailed a confirmation to a child."""
    world = build_world()
    pupil = world.users["pupil"]
    client.force_login(pupil, backend=PUPIL_BACKEND)
    page = client.get(reverse("account_email"))
    assert page.status_code == 403
    assert pupil.email not in page.content.decode()
    added = client.post(reverse("account_email"), {"email": "kid@example.test", "action_add": ""})
    assert added.status_code == 403
    assert not EmailAddress.objects.filter(email="kid@example.test").exists()
    assert mail.outbox == []
