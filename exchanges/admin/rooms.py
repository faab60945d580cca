"""Chat rooms, their messages and the reports on them."""
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from exchanges import models as m
from exchanges.admin.deletion import RoomKept
from exchanges.admin.names import NamedDatesAdmin


@admin.register(m.Room)
class RoomAdmin(RoomKept, NamedDatesAdmin):
    list_display = ["__str__", "status", "created_at", "closed_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["match", "exchange", "pupils_exchange"]


@admin.register(m.Message)
class MessageAdmin(NamedDatesAdmin):
    list_display = ["room", "author", "text", "created_at"]
    list_filter = ["room__status"]
    search_fields = ["body", "author__email"]
    raw_id_fields = ["room", "author"]

    # A reported message is read here (an adults' room has no moderator): its text is
    # marked with the language it is written in, for screen readers, when known.
    @admin.display(description=gettext_lazy("body"), ordering="body")
    def text(self, obj):
        if obj.lang:
            return format_html('<span lang="{}" dir="auto">{}</span>', obj.lang, obj.body)
        return obj.body

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and obj.lang and "body" in form.base_fields:
            form.base_fields["body"].widget.attrs.update(lang=obj.lang, dir="auto")
        return form


@admin.register(m.Report)
class ReportAdmin(NamedDatesAdmin):
    list_display = ["message", "reporter", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["reason", "reporter__email", "message__body"]
    raw_id_fields = ["message", "reporter"]
