from django.urls import path, re_path

from exchanges.views import calendar, sessions

urlpatterns = [
    path("matches/<int:match_id>/schedule/", sessions.match_schedule, name="match_schedule"),
    path("matches/<int:match_id>/schedule/propose/", sessions.slot_propose, name="slot_propose"),
    path("slots/<int:proposal_id>/confirm/", sessions.slot_confirm, name="slot_confirm"),
    path("sessions/<int:session_id>/cancel/", sessions.session_cancel, name="session_cancel"),
    path("sessions/<int:session_id>/move/", sessions.session_move, name="session_move"),
    path("sessions/<int:session_id>/move/confirm/", sessions.session_move_confirm,
         name="session_move_confirm"),
    path("sessions/<int:session_id>/move/decline/", sessions.session_move_decline,
         name="session_move_decline"),
    path("sessions/<int:session_id>.ics", calendar.session_ics, name="session_ics"),
    path("rooms/<int:room_id>/timer/", sessions.room_timer, name="room_timer"),
    path("reminders/email/toggle/", sessions.reminders_email_toggle, name="reminders_email_toggle"),
    path("calendar/rotate/", calendar.calendar_token_rotate, name="calendar_token_rotate"),
    re_path(r"^calendar/(?P<token>[-\w]+)\.ics$", calendar.calendar_feed, name="calendar_feed"),
]
