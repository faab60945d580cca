"""The authorization matrix's table (tests/test_authorization_matrix.py walks it): each
row of ``TABLE`` names a URL's arguments (world keys) and who may use it, as one of the
access rules of ``RULES``; ``Row`` expands it to the status each (role, method) gets.
The rules, gates and statuses are described in the test module's docstring."""

from dataclasses import dataclass, field

from tests.authorization_world import ROLES

LOGIN = "login"

ALL = frozenset(ROLES)
SIGNED_IN = ALL - {"anonymous"}
PARTICIPANTS = frozenset({"participant", "partner", "stranger"})
RULES = {
    "public": ALL,
    "signed_out": frozenset({"anonymous"}),
    "signed_in": SIGNED_IN,
    "participant_self": PARTICIPANTS,  # adults with a participant profile, for themselves
    "participant_or_pupil": PARTICIPANTS | {"pupil"},
    "match_member": frozenset({"participant", "partner"}),
    "proposer": frozenset({"participant"}),  # the one member of the proposed match
    "officers": frozenset({"officer", "other_officer", "superuser"}),
    "program_officer": frozenset({"officer", "superuser"}),
    "teachers": frozenset({"teacher"}),
    "class_teacher": frozenset({"teacher"}),
    "exchange_teacher": frozenset({"teacher"}),
    "exchange_member": frozenset({"teacher", "pupil"}),
    "pupil": frozenset({"pupil"}),
    "superuser_only": frozenset({"superuser"}),
    "nobody": frozenset(),  # the one who may is not a role of the matrix
}


# Role-wide refusals, whatever the object: a pupil never reaches teachers' pages.
GATES = {
    "class_teacher": {"pupil": 403},
    "exchange_teacher": {"pupil": 403},
    "teachers": {"pupil": 403},
}
SAME = "same as GET"  # a page that reads: a POST answers as a GET does
# Officers' pages refuse other roles as a whole (403), then scope to the officer's programs.
NON_OFFICERS = {role: 403 for role in ("participant", "partner", "stranger", "teacher", "pupil")}
NON_OFFICERS_POST = {(role, "POST"): 403 for role in NON_OFFICERS}  # GET is 405 first


@dataclass(frozen=True)
class Row:
    who: str
    args: dict = field(default_factory=dict)  # URL kwarg -> world key
    get: int | str = 200
    post: int | str = 302
    denied: int | str = 404
    anonymous: int | str = LOGIN
    also: dict = field(default_factory=dict)  # role or (role, method) -> status

    def expected(self, role: str, method: str) -> int | str:
        for key in ((role, method), role):
            if key in self.also:
                return self.also[key]
        if method == "POST" and self.post == SAME:
            return self.expected(role, "GET")
        mine = self.get if method == "GET" else self.post
        let_in = role in RULES[self.who]
        if let_in or (mine == 405 and role != "anonymous"):
            return mine
        if role == "anonymous":
            return self.anonymous
        return GATES.get(self.who, {}).get(role, self.denied)


def R(who, *args, **kwargs) -> Row:
    """A row; its URL kwargs come from the world as ``kw={kwarg: key}``, or named alone
    (``"pupil_id"`` takes the world's ``pupil``)."""
    named = {arg: arg.removesuffix("_id") for arg in args} | kwargs.pop("kw", {})
    return Row(who, named, **kwargs)


GET_ONLY = {"post": 405}
POST_ONLY = {"get": 405}
EXCHANGE = {"exchange_id": "exchange"}
CLASS = {"classroom_id": "classroom"}
MATCH_ROOM = {"room_id": "room"}
CLASS_ROOM = {"room_id": "class_room"}

TABLE: dict[str, Row] = {
    # Public pages.
    "home": R("public", post=SAME),
    "healthz": R("public", post=405),
    "transparency": R("public", post=405),
    "transparency_json": R("public", post=405),
    # The language switcher (Django's set_language): a POST from anyone, back to the page.
    "set_language": R("public", get=405, post=302),
    # The JavaScript catalogue: the same public strings for everyone, GET only.
    "javascript_catalog": R("public", post=405),
    # Signed-in pages; staff and pupils are sent on from the participants' forms.
    "dashboard": R("signed_in", post=SAME, also={"pupil": 302}),
    "notifications": R("signed_in", post=SAME),
    # Deleting one's own account: adults without a role others rely on; an empty post is
    # refused (the password); pupils, teachers, officers and superusers are told why not.
    "account_delete": R("participant_self", post=400, denied=403),
    # One's own data to download: every signed-in adult; a pupil asks their teacher.
    "account_data": R("signed_in", post=405, also={("pupil", "GET"): 403}),
    # An onboarded participant's welcome is their profile (302); a form sent still saves.
    "onboarding": R("participant_self", get=302, post=400, denied=302),
    "profile": R("participant_self", post=400, denied=302),
    # Tandem participants.
    "match_accept": R("proposer", **POST_ONLY, kw={"match_id": "proposed_match"}),
    "match_decline": R("proposer", **POST_ONLY, kw={"match_id": "proposed_match"}),
    "match_end": R("match_member", **POST_ONLY, kw={"match_id": "match"}),
    "match_schedule": R("match_member", post=SAME, kw={"match_id": "match"}),
    "slot_propose": R("match_member", **POST_ONLY, kw={"match_id": "match"}),
    "slot_confirm": R("match_member", **POST_ONLY, kw={"proposal_id": "slot_proposal"}),
    "session_cancel": R("match_member", **POST_ONLY, kw={"session_id": "session"}),
    # An empty move is refused on the schedule page itself (400), the field marked.
    "session_move": R("match_member", get=405, post=400, kw={"session_id": "session"}),
    "session_move_confirm": R("match_member", **POST_ONLY, kw={"session_id": "moving_session"}),
    "session_move_decline": R("match_member", **POST_ONLY, kw={"session_id": "moving_session"}),
    "session_ics": R("match_member", post=SAME, kw={"session_id": "session"}),
    "room_list": R("signed_in", post=SAME),  # the rooms one is a member of
    "room_detail": R("match_member", post=SAME, kw=MATCH_ROOM),
    "room_block": R("match_member", **POST_ONLY, kw=MATCH_ROOM),
    "room_timer": R("match_member", post=SAME, kw=MATCH_ROOM),
    "room_sent": R("match_member", post=SAME, kw=MATCH_ROOM),  # which pending messages were saved
    "room_message_report": R("match_member", **POST_ONLY,
                             kw={**MATCH_ROOM, "message_id": "partner_message"}),
    "reminders_email_toggle": R("participant_or_pupil", **POST_ONLY),
    "matching_pause_set": R("participant_self", **POST_ONLY),
    "calendar_token_rotate": R("participant_or_pupil", **POST_ONLY),
    "calendar_feed": R("public", "token", post=SAME),  # the token is the credential
    # Officers: another program, or its twinnings, is not found.
    "program_list": R("officers", post=SAME, denied=403),  # the programs one is an officer of
    "program_new": R("officers", post=400, denied=403),
    "program_detail": R("program_officer", "slug", post=SAME),
    "program_edit": R("program_officer", "slug", post=400),
    "program_metrics_json": R("program_officer", "slug", post=SAME),
    "program_metrics_csv": R("program_officer", "slug", post=SAME),
    "program_run_matching": R("program_officer", "slug", **POST_ONLY),
    "twinning_list": R("officers", post=SAME, denied=403),
    "twinning_detail": R("program_officer", post=400, also=NON_OFFICERS,
                         kw={"twinning_id": "twinning"}),
    # The matrix posts no region: refused (it would clear both), the page shown again.
    "twinning_regions": R("program_officer", get=405, post=400, also=NON_OFFICERS_POST,
                          kw={"twinning_id": "twinning"}),
    "audit_log": R("officers", post=SAME, denied=403),
    "teacher_applications": R("officers", post=SAME, denied=403),
    "teacher_application_approve": R("program_officer", **POST_ONLY, also=NON_OFFICERS_POST,
                                     kw={"application_id": "application"}),
    # The matrix posts no reason: the queue is shown again with the form's error.
    "teacher_application_refuse": R("program_officer", get=405, post=400,
                                    also=NON_OFFICERS_POST,
                                    kw={"application_id": "application"}),
    # Teachers and their classes; others are sent to the application.
    "teacher_apply": R("signed_in", post=400, also={"teacher": 302, "pupil": 403}),
    "classes": R("teachers", post=SAME, denied=302),
    "classroom_create": R("teachers", post=400, denied=302),
    "classroom_detail": R("class_teacher", post=SAME, kw=CLASS),
    "classroom_edit": R("class_teacher", post=400, kw=CLASS),
    # The world's class has an exchange: the delete is refused with a flash, back to it.
    "classroom_delete": R("class_teacher", kw=CLASS),
    "join_code_rotate": R("class_teacher", **POST_ONLY, kw=CLASS),
    "partner_finder": R("class_teacher", post=SAME, kw={"classroom_id": "spare_classroom"}),
    "partner_request": R("class_teacher", **POST_ONLY, kw={
        "classroom_id": "spare_classroom", "other_id": "other_classroom"}),
    "partner_request_accept": R("class_teacher", **POST_ONLY,
                                kw={"request_id": "incoming_request"}),
    "partner_request_decline": R("class_teacher", **POST_ONLY,
                                 kw={"request_id": "incoming_request"}),
    # Only the asker withdraws: the asked teacher is told so (nothing changes).
    "partner_request_withdraw": R("class_teacher", **POST_ONLY,
                                  kw={"request_id": "incoming_request"}),
    # No names posted: the class page again, with the form's error.
    "pupils_add": R("class_teacher", get=405, post=400, kw=CLASS),
    "login_cards": R("class_teacher", get=405, post=200, kw=CLASS),
    "pupil_reset": R("class_teacher", "pupil_id", get=405, post=200, kw=CLASS),
    "pupil_remove": R("class_teacher", "pupil_id", kw=CLASS),  # GET: the confirmation
    "pupil_interests_by_teacher": R("class_teacher", "pupil_id", post=302, kw=CLASS),
    "teacher_calendar": R("teachers", post=SAME, denied=403),
    "teacher_calendar_rotate": R("teachers", **POST_ONLY, denied=403),
    "teacher_calendar_feed": R("public", post=SAME, kw={"token": "teacher_token"}),
    # A classroom exchange: its teachers and pupils.
    "pupil_pairing": R("exchange_teacher", post=SAME, kw=EXCHANGE),
    "pairing_propose": R("exchange_teacher", **POST_ONLY, kw=EXCHANGE),
    "pairing_swap": R("exchange_teacher", **POST_ONLY, kw=EXCHANGE),
    "pairing_confirm": R("exchange_teacher", **POST_ONLY, kw=EXCHANGE),
    "class_sessions": R("exchange_teacher", post=SAME, kw=EXCHANGE),
    "class_exchange_end": R("exchange_teacher", **POST_ONLY, kw=EXCHANGE),
    # An empty choice is refused on the sessions page itself (400), the reason shown.
    "class_session_propose": R("exchange_teacher", get=405, post=400, kw=EXCHANGE),
    "class_session_confirm": R("exchange_teacher", **POST_ONLY,
                               kw={**EXCHANGE, "proposal_id": "class_proposal"}),
    "class_session_cancel": R("exchange_teacher", **POST_ONLY,
                              kw={"session_id": "class_session"}),
    "class_session_move": R("exchange_teacher", get=405, post=400,
                            kw={"session_id": "class_session"}),
    "class_session_move_confirm": R("exchange_teacher", **POST_ONLY,
                                    kw={"session_id": "class_session"}),
    "class_session_move_decline": R("exchange_teacher", **POST_ONLY,
                                    kw={"session_id": "class_session"}),
    "class_session_ics": R("exchange_teacher", post=SAME, also={"pupil": 404},
                           kw={"session_id": "class_session"}),
    # The class room: its pupils write, both teachers read as moderators.
    "room_detail@class": R("exchange_member", post=SAME, kw=CLASS_ROOM),
    "room_timer@class": R("exchange_member", post=SAME, kw=CLASS_ROOM),
    "room_message_hide": R("exchange_teacher", **POST_ONLY,
                           kw={**CLASS_ROOM, "message_id": "class_message"}),
    "room_report_resolve": R("exchange_teacher", **POST_ONLY,
                             kw={**CLASS_ROOM, "report_id": "class_report"}),
    # A pupil's empty mute form is refused before the moderator check: nothing changes.
    "room_mute": R("exchange_teacher", **POST_ONLY, also={("pupil", "POST"): 302},
                   kw=CLASS_ROOM),
    "room_moderate_close": R("exchange_teacher", **POST_ONLY, kw=CLASS_ROOM),
    "wall": R("exchange_member", post=405, kw=EXCHANGE),
    "wall_post": R("exchange_member", get=405, post=400, kw=EXCHANGE),
    "wall_post_approve": R("exchange_teacher", **POST_ONLY,
                           kw={**EXCHANGE, "post_id": "pending_post"}),
    "wall_post_reject": R("exchange_teacher", **POST_ONLY,
                          kw={**EXCHANGE, "post_id": "pending_post"}),
    # No text posted: the wall again, with the error under the post.
    "wall_comment": R("exchange_member", get=405, post=400,
                      kw={**EXCHANGE, "post_id": "wall_post"}),
    "wall_image": R("exchange_member", post=405, kw={**EXCHANGE, "image_id": "wall_image"}),
    "wall_export": R("exchange_teacher", post=405, kw=EXCHANGE),
    # Pupils.
    "join": R("public", post=400),
    "pupil_password": R("pupil", post=400),
    "pupil_interests": R("pupil", post=302),
    # allauth: signed-in people are sent on from the sign-in and sign-up pages.
    "account_login": R("signed_out", post=200, denied=302),
    "account_signup": R("signed_out", post=200, denied=302),
    "account_logout": R("public", post=302, also={("anonymous", "GET"): 302}),
    "account_reset_password": R("public", post=200),
    "account_reset_password_done": R("public", post=405),
    "account_reset_password_from_key": R("public", post=200,
                                         kw={"uidb36": "x1", "key": "x1"}),
    "account_reset_password_from_key_done": R("public", post=405),
    "account_email_verification_sent": R("public", post=405),
    "account_confirm_email": R("public", post=404, kw={"key": "x1"}),
    "account_inactive": R("public", post=405),
    # A pupil sets their password on their own page (pupil_password).
    "account_change_password": R("signed_in", post=200, also={"pupil": 302}),
    "account_set_password": R("nobody", denied=302),  # everyone here has a password
    "account_email": R("signed_in", post=302, also={"pupil": 403}),
    "account_reauthenticate": R("signed_in", post=200),
    # No code was sent: back to where one asks for it.
    "account_confirm_login_code": R("nobody", denied=302),
    "account_request_reauthentication_code": R("nobody", denied=302,
                                               also={"participant": 200}),
    "account_confirm_reauthentication_code": R("nobody", denied=302),
}
