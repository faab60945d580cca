"""What the fuzz tests of the views share (test_forms_fuzz.py: each form, field by field,
as its user; test_urls_fuzz.py: every URL with stray fields, as anyone): one world of
objects the forms act on, a POST or GET whose writes are rolled back, every named URL,
and the share of the ``FUZZ_EXAMPLES`` budget each test spends.

Each request runs in a savepoint that is rolled back, so every example starts from the
same world: a block, a cancelled session or a logout does not spoil the examples after it.
The budget is ``FUZZ_EXAMPLES`` requests over both modules (a few hundred by default);
``FUZZ_EXAMPLES=10000`` for a long run.
"""

import datetime as dt
import os
from dataclasses import dataclass
from http.cookies import SimpleCookie

from django.core.cache import cache
from django.db import transaction
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings

from exchanges.models import Message, SlotProposal, TeacherApplication
from exchanges.services.class_session_changes import class_session_move_propose
from exchanges.services.class_sessions import class_session_confirm, class_session_propose
from exchanges.services.partner_requests import partner_request_accept, partner_request_create
from exchanges.services.sessions import session_move_propose
from exchanges.services.slots import slot_options
from tests.exchanges.classroom_fixtures import PUPIL_BACKEND, officer, partner_pair, pupil
from tests.exchanges.scheduling_fixtures import NOW, scheduled_match
from tests.exchanges.views.fuzz_values import urlencoded
from tests.factories import MatchFactory, UserFactory


@dataclass
class World:
    """One of everything a form acts on, and the people the forms are for."""

    users: dict
    urls: dict  # URL keyword -> the id (or slug, token) of an object its user acts on
    match_slots: list[str]
    join_code: str
    city: object  # a city with an active twinning, for forms that ask for one
    twinning: object  # one the officer's program runs over


def build_world() -> World:
    match, sessions = scheduled_match()
    a, b = match.participant_a, match.participant_b
    proposed = MatchFactory(participant_a=a)
    proposal = SlotProposal.objects.filter(match=match).first()
    slots = [option.key for option in slot_options(match=match, now=NOW)] or ["0|18:00|UTC"]
    moving = session_move_propose(  # a move the partner has yet to answer
        session=sessions[2], by=a, new_start=sessions[1].starts_at + dt.timedelta(days=2)
    )
    class_a, class_b, twinning = partner_pair()
    the_officer = officer()
    match.program.officers.add(the_officer)
    match.program.twinnings.add(twinning)  # the officer decides Coventry's applications
    request = partner_request_create(
        from_classroom=class_a, to_classroom=class_b, by=class_a.teacher, message="Hello"
    )
    the_pupil = pupil(class_a)
    class_c, class_d, _ = partner_pair()
    exchange = partner_request_accept(
        request=partner_request_create(from_classroom=class_c, to_classroom=class_d,
                                       by=class_c.teacher),
        by=class_d.teacher,
    )
    pupil(class_c, name="Ben T.")
    class_sessions = class_session_confirm(
        proposal=class_session_propose(exchange=exchange, by=class_d.teacher, weekday=1,
                                       local_start=dt.time(14, 0), minutes=45),
        by=class_c.teacher,
    )
    class_session_move_propose(  # a move the exchange teacher has yet to answer
        session=class_sessions[2], by=class_d.teacher,
        new_start=class_sessions[2].starts_at + dt.timedelta(days=2),
    )
    message = Message.objects.create(room=match.room, author=b.user, body="Hallo", client_id="c1")
    applicant = UserFactory()
    application = TeacherApplication.objects.create(
        user=UserFactory(), school="Coventry Academy", city=class_a.city,
        role_at_school="German teacher", verification="coventry-academy.example",
    )
    users = {
        "anonymous": None, "participant": a.user, "partner": b.user,
        "newcomer": UserFactory(), "teacher": class_a.teacher, "other_teacher": class_b.teacher,
        "pupil": the_pupil.user, "officer": the_officer, "applicant": applicant,
        "exchange_teacher": class_c.teacher,
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }
    urls = {
        "match_id": proposed.pk, "match": match.pk, "session_id": sessions[1].pk,
        "room_id": match.room.pk, "moving_session_id": moving.pk,
        "proposal_id": proposal.pk if proposal else 1,
        "slug": match.program.slug, "classroom_id": class_a.pk, "other_id": class_b.pk,
        "request_id": request.pk, "pupil_id": the_pupil.pk, "application_id": application.pk,
        "twinning_id": twinning.pk, "token": a.calendar_token, "message_id": message.pk,
        "uidb36": "1", "key": "set-by-no-one", "exchange_id": exchange.pk,
        "class_session_id": class_sessions[1].pk, "moving_class_session_id": class_sessions[2].pk,
    }
    return World(users=users, urls=urls, match_slots=slots, join_code=class_a.join_code,
                 city=class_a.city, twinning=twinning)


def log_in(client, user) -> None:
    client.logout()
    if user is not None:
        backend = PUPIL_BACKEND if user.is_pupil else None
        client.force_login(user, backend=backend)


class _Undo(Exception):
    """Carries the response out of the savepoint it rolls back."""


def post_and_undo(client, url: str, pairs, *, as_user=_Undo, method: str = "POST") -> int:
    """POST the urlencoded pairs (or GET with them as the query string), logged in as
    ``as_user`` if given, and roll back what the request wrote, the cookies too; the
    status code. The cache is emptied too: the tries /join/ counts there would turn every
    later example into a refusal."""
    cookies = SimpleCookie()
    cookies.update(client.cookies)
    try:
        with transaction.atomic():
            if as_user is not _Undo:
                log_in(client, as_user)
            if method == "GET":
                response = client.get(f"{url}?{urlencoded(pairs).decode()}")
            else:
                response = client.post(
                    url, urlencoded(pairs), content_type="application/x-www-form-urlencoded"
                )
            raise _Undo(response.status_code)
    except _Undo as undone:
        return undone.args[0]
    finally:
        client.cookies = cookies
        cache.clear()


def _routes() -> list[tuple[str, object]]:
    """Every named URL of the platform and of allauth (the admin is Django's, for
    superusers only) with its pattern."""
    found = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif entry.name and not prefix.startswith("admin/"):
                found.append((entry.name, entry.pattern))

    walk(get_resolver().url_patterns)
    return sorted(set(found), key=lambda item: item[0])


ROUTES = dict(_routes())


def examples(share: float) -> int:
    """This share of the budget: three quarters go to the forms fuzzed field by field as
    their users, one quarter to the sweep of every URL with stray fields."""
    budget = int(os.environ.get("FUZZ_EXAMPLES", "400"))
    return max(3, int(budget * share))


def fuzz(request, data, share: float) -> None:
    """Hypothesis draws from ``data``; ``request`` sends one and returns its status, which
    must not be a 5xx."""

    @settings(max_examples=examples(share), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data)
    def run(example):
        status = request(example)
        assert status < 500, f"{status} for {example!r}"

    run()
