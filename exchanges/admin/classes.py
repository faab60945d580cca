"""Classes and their exchanges."""
from django.contrib import admin
from django.db.models import Q

from exchanges import models as m
from exchanges.admin.deletion import ClassExchangeKept, KeepsPastFigures
from exchanges.admin.names import NamedDatesAdmin


@admin.register(m.Classroom)
class ClassroomAdmin(KeepsPastFigures, NamedDatesAdmin):
    list_display = ["name", "school", "city", "teacher", "join_code"]
    list_filter = ["city__country"]
    search_fields = ["name", "school", "teacher__email", "join_code"]
    raw_id_fields = ["teacher", "city", "consent_confirmed_by"]

    def kept_of(self, queryset) -> dict:
        return {"exchange_ids": list(m.ClassroomExchange.objects.filter(
            Q(classroom_a__in=queryset) | Q(classroom_b__in=queryset)
        ).values_list("pk", flat=True))}


@admin.register(m.ClassroomExchange)
class ClassroomExchangeAdmin(ClassExchangeKept, KeepsPastFigures, NamedDatesAdmin):
    list_display = ["__str__", "program", "status", "created_at"]
    list_filter = ["status"]
    # The program is nullable (no classroom program may cover the twinning), so Django's
    # own select_related() would not follow it; the name is the two classes'.
    list_select_related = ["classroom_a", "classroom_b", "program"]
    search_fields = ["classroom_a__name", "classroom_b__name"]
    raw_id_fields = ["classroom_a", "classroom_b", "twinning", "program"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # An exchange starts without a program where no classroom program covers its
        # twinning (the column is nullable): saving it must not demand one.
        form.base_fields["program"].required = False
        return form

    def kept_of(self, queryset) -> dict:
        return {"exchange_ids": list(queryset.values_list("pk", flat=True))}
