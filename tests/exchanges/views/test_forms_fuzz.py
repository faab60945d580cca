"""Every form-handling URL, fuzzed: hypothesis POSTs plausible and hostile values (NUL,
lone surrogates, invalid UTF-8, text that normalisation lengthens, huge strings, dates
and zones at the edges) for each field, as the user the page is for, and no answer is a
5xx (the test client re-raises a view's exception, so a crash fails with its traceback).

The world, the rolled-back requests and the ``FUZZ_EXAMPLES`` budget are in
fuzz_harness.py; test_urls_fuzz.py sweeps every other URL with stray fields.
"""

import pytest
from django.urls import reverse
from hypothesis import strategies as st

from exchanges.forms.accounts import SignupExtraForm
from exchanges.forms.class_exchanges import (
    ClassSessionAnswerForm,
    ClassSessionCancelForm,
    ClassSlotForm,
    InterestsForm,
    SwapForm,
)
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
from exchanges.forms.sessions import SessionMoveAnswerForm
from exchanges.forms.twinnings import CityRegionsForm, TwinningChangeForm
from exchanges.forms.wall import WallPostForm
from tests.exchanges.views.fuzz_harness import (
    ROUTES,
    World,
    build_world,
    fuzz,
    log_in,
    post_and_undo,
)
from tests.exchanges.views.fuzz_values import (
    form_fields,
    formset_fields,
    post_data,
)
from tests.exchanges.views.test_accounts import onboarding_data
from tests.exchanges.views.test_classrooms import class_form

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # the factories' password
TEXT = st.text(max_size=60)


@pytest.fixture
def world() -> World:
    return build_world()


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
    "account_delete": ("participant", (), _fields(password=st.one_of(st.just(PASSWORD), TEXT))),
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
    "session_move_confirm": ("partner", (("session_id", "moving_session_id"),),
                             lambda w: form_fields(SessionMoveAnswerForm())),
    "session_move_decline": ("partner", (("session_id", "moving_session_id"),),
                             lambda w: form_fields(SessionMoveAnswerForm())),
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
    "class_session_cancel": ("exchange_teacher", (("session_id", "class_session_id"),),
                             lambda w: form_fields(ClassSessionCancelForm())),
    "class_session_move": ("exchange_teacher", (("session_id", "class_session_id"),),
                           _fields(new_start=st.datetimes().map(
                               lambda d: d.isoformat(timespec="minutes")))),
    "class_session_move_confirm": ("exchange_teacher",
                                   (("session_id", "moving_class_session_id"),),
                                   lambda w: form_fields(ClassSessionAnswerForm())),
    "class_session_move_decline": ("exchange_teacher",
                                   (("session_id", "moving_class_session_id"),),
                                   lambda w: form_fields(ClassSessionAnswerForm())),
    "pairing_propose": ("exchange_teacher", ("exchange_id",), _no_fields),
    "pairing_confirm": ("exchange_teacher", ("exchange_id",), _no_fields),
    "pairing_swap": ("exchange_teacher", ("exchange_id",), lambda w: form_fields(SwapForm())),
    "reminders_email_toggle": ("participant", (), _no_fields),
    "matching_pause_set": ("participant", (), _fields(paused=st.sampled_from(["0", "1", "x"]))),
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
    "classroom_delete": ("teacher", ("classroom_id",), _no_fields),
    "join": ("anonymous", (), _join_fields),
    "pupil_password": ("pupil", (), lambda w: form_fields(PupilPasswordForm())),
}


def _kwargs(world: World, spec) -> dict:
    pairs = [(item, item) if isinstance(item, str) else item for item in spec]
    return {kwarg: world.urls[key] for kwarg, key in pairs}


# Three quarters of the budget, shared among the forms (fuzz_harness.examples).
DEEP = 0.75 / len(ENDPOINTS)


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_no_form_answers_a_server_error(client, world, name):
    who, spec, fields, *baseline = ENDPOINTS[name]
    log_in(client, world.users[who])
    url = reverse(name, kwargs=_kwargs(world, spec))
    data = post_data(fields(world), baseline[0](world) if baseline else None)
    fuzz(lambda pairs: post_and_undo(client, url, pairs), data, DEEP)


# Pages whose GET reads a form from the query string: url name -> (who, kwargs).
QUERY_ENDPOINTS = {
    "program_detail": ("officer", ("slug",)),
    "program_metrics_json": ("officer", ("slug",)),
    "program_metrics_csv": ("officer", ("slug",)),
}


@pytest.mark.parametrize("name", sorted(QUERY_ENDPOINTS))
def test_no_query_form_answers_a_server_error(client, world, name):
    who, spec = QUERY_ENDPOINTS[name]
    log_in(client, world.users[who])
    url = reverse(name, kwargs=_kwargs(world, spec))
    fields = form_fields(MetricsRangeForm())
    fuzz(lambda pairs: post_and_undo(client, url, pairs, method="GET"), post_data(fields), DEEP)


def test_every_form_handling_url_is_fuzzed_field_by_field():
    """The URLs a form posts to are in ENDPOINTS; test_urls_fuzz.py reaches the others."""
    fuzzed = set(ENDPOINTS) | set(QUERY_ENDPOINTS)
    assert fuzzed <= set(ROUTES), fuzzed - set(ROUTES)

