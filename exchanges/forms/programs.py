"""A program's settings as officers edit them on the platform."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from exchanges.models import Program, Twinning
from exchanges.models.programs import validate_completion_sessions, validate_new_start_date
from exchanges.pure.keys import is_key
from exchanges.pure.plannable import input_bounds
from exchanges.services.typed_text import name_checked

# A date input takes ISO dates whatever the interface language (the localised
# format, 03/12/2026 in French, would leave it empty).
ISO_DATE = "%Y-%m-%d"
DESCRIPTION_MAX = 2000


class TwinningsField(forms.ModelMultipleChoiceField):
    """Numbers no row id can be are not a valid choice, refused before the query: the
    field's `in` lookup hands them to the database, and SQLite overflows on them."""

    def label_from_instance(self, twinning):
        # Each city with its country, as the rest of the site names cities.
        return twinning.with_countries

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk).strip())
            except ValueError:
                continue  # not a number: Django's own check names it
            if not is_key(number):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice",
                    params={"value": pk},
                )
        try:
            return super()._check_values(value)
        except ValidationError as exc:
            if exc.code != "invalid_choice":
                raise
            # A twinning suspended or terminated since the page was opened: say so by
            # name, as the service does, not "2 is not one of the available choices".
            inactive = Twinning.objects.filter(
                pk__in=[int(str(pk).strip()) for pk in value]
            ).exclude(pk__in=self.queryset).select_related("city_a", "city_b")
            if not inactive:
                raise
            raise ValidationError(
                _("Only active twinnings can be added; not active: %(names)s.")
                % {"names": gettext(", ").join(t.with_countries for t in inactive)},
                code="inactive",
            ) from exc


def _bound_like_the_model(field: forms.IntegerField, model_field) -> None:
    """The form field's bounds are the model's (a positive integer field's own 0 would
    answer "at least 0" to -1 and "at least 1" to 0), and the input offers them."""
    # The model field's validators also hold the database's own integer range.
    low = max(v.limit_value for v in model_field.validators if isinstance(v, MinValueValidator))
    high = min(v.limit_value for v in model_field.validators if isinstance(v, MaxValueValidator))
    field.min_value, field.max_value = low, high
    field.validators = [
        v for v in field.validators if not isinstance(v, MinValueValidator | MaxValueValidator)
    ] + [MinValueValidator(low), MaxValueValidator(high)]
    field.widget.attrs.update(min=low, max=high)


class CompletionWithinWeeks:
    """A program form's rule between two fields (the officers' form and the admin's):
    no more sessions to complete than the program has weeks."""

    def clean(self):
        cleaned = super().clean()
        weeks, sessions = cleaned.get("weeks"), cleaned.get("completion_sessions")
        if weeks is not None and sessions is not None:  # else their own errors show
            try:
                validate_completion_sessions(weeks=weeks, completion_sessions=sessions)
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


class ProgramForm(CompletionWithinWeeks, forms.ModelForm):
    twinnings = TwinningsField(
        queryset=Twinning.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Twinnings"),
        help_text=_("Active twinnings can be added; a suspended one stays until removed."),
    )

    # Removing a twinning that still has matches or class exchanges of the program going
    # is asked about first; the answer carries the twinnings it was asked about.
    removal_confirmed = forms.CharField(required=False, max_length=2000,
                                        widget=forms.HiddenInput)
    # New dates that cancel planned sessions are asked about too; the answer carries the
    # dates and how many sessions they cancel.
    dates_confirmed = forms.CharField(required=False, max_length=100,
                                      widget=forms.HiddenInput)

    class Meta:
        model = Program
        fields = [
            "name", "kind", "description", "twinnings", "start_date", "weeks",
            "session_minutes", "completion_sessions", "is_open",
        ]
        labels = {
            "name": _("Name"),
            "kind": _("Kind"),
            "description": _("Description"),
            "start_date": _("Start date"),
            "weeks": _("Weeks"),
            "session_minutes": _("Session minutes"),
            "completion_sessions": _("Sessions to complete"),
            "is_open": _("Open to new participants"),
        }
        help_texts = {
            "completion_sessions": _(
                "A participant who attended this many sessions completed the program "
                "(8 sessions of 60 minutes are eight contact hours)."
            ),
            "weeks": _("1 to 52."),
            "is_open": _("Accepting participants"),
            "session_minutes": _("15 to 240."),
        }
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A few sentences under the program's name; the column itself is unbounded, and
        # a pasted document would fill the dashboard.
        description = self.fields["description"]
        description.max_length = DESCRIPTION_MAX
        description.validators.append(MaxLengthValidator(DESCRIPTION_MAX))
        description.widget.attrs["maxlength"] = DESCRIPTION_MAX
        self.fields["start_date"].widget.attrs.update(
            input_bounds(timezone.localdate(), new=not self.instance.pk)
        )
        for name in ("weeks", "session_minutes", "completion_sessions"):
            _bound_like_the_model(self.fields[name], Program._meta.get_field(name))
        current = Q(pk__in=self.instance.twinnings.all()) if self.instance.pk else Q(pk__in=[])
        self.fields["twinnings"].queryset = (
            Twinning.objects.filter(Q(status=Twinning.Status.ACTIVE) | current)
            .select_related("city_a", "city_b")
            .order_by("city_a__name", "city_b__name")
        )

    def clean_name(self) -> str:
        # Checked with the other fields, so every error shows in one round.
        return name_checked(self.cleaned_data["name"])

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if start is not None and (not self.instance.pk or start != self.instance.start_date):
            validate_new_start_date(start)
        return start


    def service_values(self) -> dict:
        """The cleaned values as the program services take them."""
        data = dict(self.cleaned_data)
        data.pop("removal_confirmed", None)
        data.pop("dates_confirmed", None)
        data["twinnings"] = list(data["twinnings"])
        return data

