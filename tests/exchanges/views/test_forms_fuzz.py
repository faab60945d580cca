"""Every form-handling URL, fuzzed: hypothesis POSTs plausible and hostile values (NUL,
lone surrogates, invalid UTF-8, text that normalisation lengthens, huge strings, dates
and zones at the edges) for each field, as the user the page is for, and no answer is a
5xx (the test client re-raises a view's exception, so a crash fails with its traceback).

Each POST runs in a savepoint that is rolled back, so every example starts from the same
world: a block, a cancelled session or a logout does not spoil the examples after it.

The budget is ``FUZZ_EXAMPLES`` POSTs over the whole module (a few hundred by default);
``FUZZ_EXAMPLES=10000`` for a long run.
"""

import datetime as dt
import os
from dataclasses import dataclass
from http.cookies import SimpleCookie

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exchanges.forms.accounts import SignupExtraForm
from exchanges.forms.class_exchanges import ClassSlotForm, InterestsForm, SwapForm
from exchanges.forms.classrooms import (
    ClassLanguageFormSet,
    ClassroomForm,
    CodeRotateForm,
    HolidayFormSet,
    PartnerReplyForm,
    PartnerRequestForm,
    PupilJoinForm,
    PupilLoginForm,
    PupilNamesForm,
    PupilPasswordForm,
    RefuseForm,
    SchoolHoursFormSet,
    TeacherApplicationForm,
)
from exchanges.forms.metrics import MetricsRangeForm
from exchanges.forms.profile import LanguageFormSet, ProfileForm, WindowFormSet
from exchanges.forms.programs import ProgramForm
from exchanges.forms.twinnings import CityRegionsForm, TwinningChangeForm
from exchanges.forms.wall import WallPostForm
from exchanges.models import Message, SlotProposal, TeacherApplication
from exchanges.services.classrooms import partner_request_accept, partner_request_create
from exchanges.services.sessions import session_move_propose
from exchanges.services.slots import slot_options
from tests.exchanges.classroom_fixtures import PUPIL_BACKEND, officer, partner_pair, pupil
from tests.exchanges.scheduling_fixtures import NOW, scheduled_match
from tests.exchanges.views.fuzz_values import (
    form_fields,
    formset_fields,
    post_data,
    urlencoded,
)
from tests.exchanges.views.test_accounts import onboarding_data
from tests.exchanges.views.test_classrooms import class_form
from tests.factories import MatchFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # the factories' password
TEXT = st.text(max_size=60)


@dataclass
class World:
    """One of everything a form acts on, and the people the forms are for."""

    users: dict
    urls: dict  # URL keyword -> the id (or slug, token) of an object its user acts on
    match_slots: list[str]
    join_code: str
    city: object  # a city with an active twinning, for forms that ask for one
    twinning: object  # one the officer's program runs over


@pytest.fixture
def world() -> World:
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
    }
    return World(users=users, urls=urls, match_slots=slots, join_code=class_a.join_code,
                 city=class_a.city, twinning=twinning)


def _profile_baseline(world):
    return onboarding_data(world.city)


def _classroom_baseline(world):
    return class_form(world.city)


def _profile_fields(world):
    return {
        **form_fields(ProfileForm()),
        **formset_fields(LanguageFormSet, "lang"),
        **formset_fields(WindowFormSet, "win"),
    }


def _classroom_fields(world):
    return {
        **form_fields(ClassroomForm()),
        **formset_fields(ClassLanguageFormSet, "lang"),
        **formset_fields(SchoolHoursFormSet, "win"),
        **formset_fields(HolidayFormSet, "hol"),
    }


def _signup_fields(world):
    return {
        "email": st.emails(), "password1": st.just(PASSWORD), "password2": st.just(PASSWORD),
        **form_fields(SignupExtraForm()),
    }


def _join_fields(world):
    code = [world.join_code]
    return {
        "action": st.sampled_from(["join", "login"]),
        **form_fields(PupilJoinForm(), "join", code=code),
        **form_fields(PupilLoginForm(), "login", code=code),
    }


def _no_fields(world):
    return {"next": st.sampled_from(["/dashboard/", ""])}


def _fields(**strategies):
    return lambda world: strategies


# url name -> (who posts, the url's kwargs from the world, the fields[, a saving baseline])
ENDPOINTS = {
    "account_signup": ("anonymous", (), _signup_fields),
    "account_login": ("anonymous", (), lambda w: {
        "login": st.sampled_from([w.users["participant"].email, "nobody@example.test"]),
        "password": st.just(PASSWORD), "remember": st.just("on")}),
    "account_reset_password": ("anonymous", (), _fields(email=st.emails())),
    "account_change_password": ("participant", (), _fields(
        oldpassword=st.just(PASSWORD), password1=TEXT, password2=TEXT)),
    "account_set_password": ("participant", (), _fields(password1=TEXT, password2=TEXT)),
    "account_email": ("participant", (), _fields(
        email=st.emails(), action_add=st.just(""), action_remove=st.just(""),
        action_primary=st.just(""), action_send=st.just(""))),
    "account_reauthenticate": ("participant", (), _fields(password=st.just(PASSWORD))),
    "account_logout": ("participant", (), _no_fields),
    "account_reset_password_from_key": ("anonymous", ("uidb36", "key"),
                                        _fields(password1=TEXT, password2=TEXT)),
    "account_confirm_email": ("anonymous", ("key",), _no_fields),
    "onboarding": ("newcomer", (), _profile_fields, _profile_baseline),
    "profile": ("participant", (), _profile_fields, _profile_baseline),
    "slot_propose": ("participant", (("match_id", "match"),),
                     lambda w: {"slot": st.sampled_from(w.match_slots)}),
    "slot_confirm": ("partner", ("proposal_id",), _no_fields),
    "session_cancel": ("participant", ("session_id",), _no_fields),
    "session_move": ("participant", ("session_id",), _fields(new_start=st.datetimes().map(
        lambda d: d.isoformat(timespec="minutes")))),
    "session_move_confirm": ("partner", (("session_id", "moving_session_id"),), _no_fields),
    "session_move_decline": ("partner", (("session_id", "moving_session_id"),), _no_fields),
    "match_accept": ("participant", ("match_id",), _no_fields),
    "match_decline": ("participant", ("match_id",), _no_fields),
    "room_block": ("participant", ("room_id",), _no_fields),
    "room_message_report": ("participant", ("room_id", "message_id"), _fields(reason=TEXT)),
    "program_new": ("officer", (), lambda w: form_fields(ProgramForm())),
    "program_edit": ("officer", ("slug",), lambda w: form_fields(ProgramForm())),
    "twinning_detail": ("officer", ("twinning_id",),
                        lambda w: form_fields(TwinningChangeForm(twinning=w.twinning))),
    "twinning_regions": ("officer", ("twinning_id",),
                         lambda w: form_fields(CityRegionsForm(twinning=w.twinning))),
    "teacher_calendar_rotate": ("teacher", (), _no_fields),
    "pupil_interests": ("pupil", (), lambda w: form_fields(InterestsForm())),
    "pupil_interests_by_teacher": ("teacher", ("classroom_id", "pupil_id"),
                                   lambda w: form_fields(InterestsForm())),
    "wall_post": ("exchange_teacher", ("exchange_id",), lambda w: form_fields(WallPostForm())),
    "class_session_propose": ("exchange_teacher", ("exchange_id",),
                              lambda w: form_fields(ClassSlotForm())),
    "pairing_propose": ("exchange_teacher", ("exchange_id",), _no_fields),
    "pairing_confirm": ("exchange_teacher", ("exchange_id",), _no_fields),
    "pairing_swap": ("exchange_teacher", ("exchange_id",), lambda w: form_fields(SwapForm())),
    "reminders_email_toggle": ("participant", (), _no_fields),
    "calendar_token_rotate": ("participant", (), _no_fields),
    "program_run_matching": ("officer", ("slug",), _no_fields),
    "teacher_apply": ("applicant", (), lambda w: form_fields(
        TeacherApplicationForm(),
        verification=["coventry-academy.example", "https://coventry-academy.example/staff"])),
    "teacher_application_approve": ("officer", ("application_id",), _no_fields),
    "teacher_application_refuse": ("officer", ("application_id",),
                                   lambda w: form_fields(RefuseForm())),
    "classroom_create": ("teacher", (), _classroom_fields, _classroom_baseline),
    "classroom_edit": ("teacher", ("classroom_id",), _classroom_fields, _classroom_baseline),
    "join_code_rotate": ("teacher", ("classroom_id",), lambda w: form_fields(CodeRotateForm())),
    "partner_request": ("teacher", ("classroom_id", "other_id"),
                        lambda w: form_fields(PartnerRequestForm())),
    "partner_request_accept": ("other_teacher", ("request_id",),
                               lambda w: form_fields(PartnerReplyForm())),
    "partner_request_decline": ("other_teacher", ("request_id",),
                                lambda w: form_fields(PartnerReplyForm())),
    "partner_request_withdraw": ("teacher", ("request_id",), _no_fields),
    "pupils_add": ("teacher", ("classroom_id",), lambda w: form_fields(PupilNamesForm())),
    "pupil_reset": ("teacher", ("classroom_id", "pupil_id"), _no_fields),
    "pupil_remove": ("teacher", ("classroom_id", "pupil_id"), _no_fields),
    "join": ("anonymous", (), _join_fields),
    "pupil_password": ("pupil", (), lambda w: form_fields(PupilPasswordForm())),
}


def _kwargs(world: World, spec) -> dict:
    pairs = [(item, item) if isinstance(item, str) else item for item in spec]
    return {kwarg: world.urls[key] for kwarg, key in pairs}


def _log_in(client, user) -> None:
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
                _log_in(client, as_user)
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
    """This share of the module's budget: three quarters go to the forms fuzzed field by
    field as their users, one quarter to the sweep of every URL with stray fields."""
    budget = int(os.environ.get("FUZZ_EXAMPLES", "400"))
    return max(3, int(budget * share))


DEEP = 0.75 / len(ENDPOINTS)
SHALLOW = 0.25


def _fuzz(post, data, share: float) -> None:
    @settings(max_examples=examples(share), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data)
    def run(example):
        status = post(example)
        assert status < 500, f"{status} for {example!r}"

    run()


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_no_form_answers_a_server_error(client, world, name):
    who, spec, fields, *baseline = ENDPOINTS[name]
    _log_in(client, world.users[who])
    url = reverse(name, kwargs=_kwargs(world, spec))
    data = post_data(fields(world), baseline[0](world) if baseline else None)
    _fuzz(lambda pairs: post_and_undo(client, url, pairs), data, DEEP)


# Pages whose GET reads a form from the query string: url name -> (who, kwargs).
QUERY_ENDPOINTS = {
    "program_detail": ("officer", ("slug",)),
    "program_metrics_json": ("officer", ("slug",)),
    "program_metrics_csv": ("officer", ("slug",)),
}


@pytest.mark.parametrize("name", sorted(QUERY_ENDPOINTS))
def test_no_query_form_answers_a_server_error(client, world, name):
    who, spec = QUERY_ENDPOINTS[name]
    _log_in(client, world.users[who])
    url = reverse(name, kwargs=_kwargs(world, spec))
    fields = form_fields(MetricsRangeForm())
    _fuzz(lambda pairs: post_and_undo(client, url, pairs, method="GET"), post_data(fields), DEEP)


def test_every_form_handling_url_is_fuzzed_field_by_field():
    """The URLs a form posts to are in ENDPOINTS; the sweep below reaches the others."""
    fuzzed = set(ENDPOINTS) | set(QUERY_ENDPOINTS)
    assert fuzzed <= set(ROUTES), fuzzed - set(ROUTES)


# Field names the platform's forms use, posted with stray values to every URL.
STRAY_FIELDS = sorted({
    "next", "reason", "message", "reply", "body", "text", "title", "caption", "comment",
    "name", "names", "email", "password", "code", "slot", "new_start", "start", "end",
    "date", "from", "to", "until", "minutes", "action", "status", "note", "csrfmiddlewaretoken",
    "start_date", "end_date", "since", "page", "format", "before", "limit", "q", "kind",
})


def _route_kwargs(world: World, pattern) -> dict:
    converters = getattr(pattern, "converters", {})
    names = list(converters) or list(pattern.regex.groupindex)
    values = {}
    for kwarg in names:
        if kwarg in world.urls:
            values[kwarg] = world.urls[kwarg]
        elif type(converters.get(kwarg)).__name__ == "IntConverter":
            values[kwarg] = 1
        else:
            values[kwarg] = "x1"
    return values


def test_no_url_answers_a_server_error_to_stray_fields_from_anyone(client, world):
    """Stray fields in a POST body or in a GET's query string (filters, ``next``)."""
    urls = {name: reverse(name, kwargs=_route_kwargs(world, ROUTES[name])) for name in ROUTES}
    fields = {field: st.text(max_size=40) for field in STRAY_FIELDS}
    data = st.tuples(
        st.sampled_from(sorted(urls)), st.sampled_from(sorted(world.users)),
        st.sampled_from(["POST", "GET"]), post_data(fields),
    )
    _fuzz(
        lambda example: post_and_undo(
            client, urls[example[0]], example[3], as_user=world.users[example[1]],
            method=example[2],
        ),
        data,
        SHALLOW,
    )
