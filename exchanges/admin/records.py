"""Notifications and the officers' audit log."""
from django.contrib import admin

from exchanges import models as m
from exchanges.admin.names import NamedDatesAdmin


@admin.register(m.Notification)
class NotificationAdmin(NamedDatesAdmin):
    list_display = ["user", "kind", "text", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "text"]
    raw_id_fields = ["user"]


@admin.register(m.AuditEvent)
class AuditEventAdmin(NamedDatesAdmin):
    """Read only: the officers' audit log is the record of who did what, so nobody
    writes, rewrites or deletes it here (the services write it as they act)."""

    list_display = ["verb", "actor", "target", "created_at"]
    list_filter = ["verb"]
    # The actor is nullable (kept after their account goes), so Django's own
    # select_related() would not follow it.
    list_select_related = ["actor"]
    search_fields = ["verb", "target", "actor__email"]
    raw_id_fields = ["actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
