from django.urls import path

from exchanges.views import rooms

urlpatterns = [
    path("rooms/", rooms.room_list, name="room_list"),
    path("rooms/<int:room_id>/", rooms.room_detail, name="room_detail"),
    path("rooms/<int:room_id>/sent/", rooms.room_sent, name="room_sent"),
    path("rooms/<int:room_id>/block/", rooms.room_block, name="room_block"),
    path("rooms/<int:room_id>/messages/<int:message_id>/report/", rooms.room_message_report,
         name="room_message_report"),
]
