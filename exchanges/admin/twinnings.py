"""Cities and their twinnings: a twinning's status changes on the officers' page, where
its cascade runs; here its history is read."""
from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from exchanges import models as m
from exchanges.admin.deletion import CityKept, TwinningKept
from exchanges.admin.names import NamedDatesAdmin
from exchanges.selectors.twinnings import twinning_of_cities


@admin.register(m.City)
class CityAdmin(CityKept, NamedDatesAdmin):
    list_display = ["name", "country", "region", "tz", "kind"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "country", "tz"]


class TwinningStatusChangeInline(admin.TabularInline):
    model = m.TwinningStatusChange
    extra = 0
    can_delete = False
    fields = ["effective", "from_status", "to_status", "side", "reason", "source", "origin",
              "actor"]
    readonly_fields = fields

    def get_queryset(self, request):
        # Each row is named after its twinning (its two cities) and shows its actor.
        return super().get_queryset(request).select_related(
            "twinning__city_a", "twinning__city_b", "actor")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class TwinningAdminForm(forms.ModelForm):
    """Two cities are twinned once, whichever is city A: the database's unique pair is
    ordered, so Dresden – Coventry beside Coventry – Dresden would pass it, and the
    register, the home page and matching would then each hold the pair twice."""

    class Meta:
        model = m.Twinning
        fields = "__all__"  # noqa: DJ007 - the admin shows what TwinningAdmin lists

    def clean(self):
        cleaned = super().clean()
        city_a, city_b = cleaned.get("city_a"), cleaned.get("city_b")
        if city_a is None or city_b is None:
            return cleaned
        if city_a == city_b:
            self.add_error("city_b", _("A twinning joins two different cities."))
            return cleaned
        twin = twinning_of_cities(
            city_a_id=city_a.pk, city_b_id=city_b.pk, exclude_id=self.instance.pk
        )
        if twin is not None:
            self.add_error("city_b", _("These cities are already twinned: %(twinning)s.")
                           % {"twinning": twin})
        return cleaned


@admin.register(m.Twinning)
class TwinningAdmin(TwinningKept, NamedDatesAdmin):
    form = TwinningAdminForm
    list_display = ["__str__", "since", "status", "status_changed", "kind"]
    list_filter = ["status", "kind", "city_a__country", "city_b__country"]
    search_fields = ["city_a__name", "city_b__name", "note"]
    list_select_related = ["city_a", "city_b"]
    autocomplete_fields = ["city_a", "city_b"]
    # A status changes on the officer's twinning page, where the cascade runs (rooms
    # closed, sessions cancelled, people told) and the history and audit are written.
    readonly_fields = ["status", "status_changed", "status_changed_precision"]
    inlines = [TwinningStatusChangeInline]
