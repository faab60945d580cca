from django.urls import path, re_path

from exchanges.views import class_calendar as calendars
from exchanges.views import class_exchanges as views

urlpatterns = [
    path("exchanges/<int:exchange_id>/end/", views.exchange_end, name="class_exchange_end"),
    path("exchanges/<int:exchange_id>/pairs/", views.pupil_pairing, name="pupil_pairing"),
    path("exchanges/<int:exchange_id>/pairs/propose/", views.pairing_propose,
         name="pairing_propose"),
    path("exchanges/<int:exchange_id>/pairs/swap/", views.pairing_swap, name="pairing_swap"),
    path("exchanges/<int:exchange_id>/pairs/confirm/", views.pairing_confirm,
         name="pairing_confirm"),
    path("exchanges/<int:exchange_id>/sessions/", views.class_sessions, name="class_sessions"),
    path("exchanges/<int:exchange_id>/sessions/propose/", views.class_session_propose,
         name="class_session_propose"),
    path("exchanges/<int:exchange_id>/sessions/<int:proposal_id>/confirm/",
         views.class_session_confirm, name="class_session_confirm"),
    path("class-sessions/<int:session_id>/cancel/", views.class_session_cancel,
         name="class_session_cancel"),
    path("class-sessions/<int:session_id>/move/", views.class_session_move,
         name="class_session_move"),
    path("class-sessions/<int:session_id>/move/confirm/", views.class_session_move_confirm,
         name="class_session_move_confirm"),
    path("class-sessions/<int:session_id>/move/decline/", views.class_session_move_decline,
         name="class_session_move_decline"),
    path("class-sessions/<int:session_id>.ics", calendars.class_session_ics,
         name="class_session_ics"),
    path("classes/calendar/", calendars.teacher_calendar, name="teacher_calendar"),
    path("classes/calendar/rotate/", calendars.teacher_calendar_rotate,
         name="teacher_calendar_rotate"),
    re_path(r"^classes/calendar/(?P<token>[-\w]+)\.ics$", calendars.teacher_calendar_feed,
            name="teacher_calendar_feed"),
    path("me/interests/", views.pupil_interests, name="pupil_interests"),
    path("classes/<int:classroom_id>/pupils/<int:pupil_id>/interests/",
         views.pupil_interests_by_teacher, name="pupil_interests_by_teacher"),
]
