from django.urls import path

from exchanges.views import moderation

urlpatterns = [
    path("rooms/<int:room_id>/messages/<int:message_id>/hide/", moderation.message_hide_view,
         name="room_message_hide"),
    path("rooms/<int:room_id>/reports/<int:report_id>/resolve/", moderation.report_resolve_view,
         name="room_report_resolve"),
    path("rooms/<int:room_id>/mute/", moderation.member_mute_view, name="room_mute"),
    path("rooms/<int:room_id>/close/", moderation.room_close_view, name="room_moderate_close"),
]
