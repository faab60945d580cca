"""The officer's twinning action: suspend, terminate or reactivate, with the facts."""

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exchanges.models import Twinning, TwinningStatusChange
from exchanges.pure.regions import subdivisions_of
from exchanges.services.twinning_lifecycle import action_refusal, cities_today

# A date input takes ISO dates whatever the interface language (the localised
# format, 03/12/2026 in French, would leave it empty).
ISO_DATE = "%Y-%m-%d"

ACTIONS = {
    "suspend": (_("Suspend"), (Twinning.Status.ACTIVE,)),
    "terminate": (_("Terminate"), (Twinning.Status.ACTIVE, Twinning.Status.SUSPENDED)),
    "reactivate": (_("Reactivate"), (Twinning.Status.SUSPENDED, Twinning.Status.TERMINATED)),
}


def actions_for(status: str) -> list[tuple[str, str]]:
    """The actions a twinning in ``status`` allows, as form choices."""
    return [(key, label) for key, (label, allowed) in ACTIONS.items() if status in allowed]


class TwinningChangeForm(forms.Form):
    action = forms.ChoiceField(label=_("What happens"))
    effective = forms.DateField(
        label=_("Effective date"),
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
        help_text=_("The day the decision took effect (today or earlier)."),
    )
    side = forms.ChoiceField(
        label=_("Which side acted"), choices=TwinningStatusChange.Side.choices,
        initial=TwinningStatusChange.Side.UNKNOWN,
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the public register's status history and to everyone in the "
                    "rooms it closes, pupils too."),
    )
    source = forms.URLField(
        label=_("Source link"), required=False, max_length=500, assume_scheme="https",
        help_text=_("The council minutes, statement or article that documents it."),
    )
    # Terminating ends matches and exchanges for good: the page asks once more, and the
    # second answer carries the action it asked about (a "yes" holds for that one only).
    confirmed = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args, twinning: Twinning, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = actions_for(twinning.status)
        asked = self.data.get("action") if self.is_bound else None
        if asked in ACTIONS and asked not in dict(self.fields["action"].choices):
            # A page opened before someone else changed the status: say what it is now,
            # not "suspend is not one of the available choices".
            self.fields["action"].error_messages["invalid_choice"] = action_refusal(
                twinning=twinning, action=asked
            )
        a, b = twinning.city_a.name, twinning.city_b.name
        self.fields["side"].choices = [
            (value, {"city_a": a, "city_b": b}.get(value, label))
            for value, label in TwinningStatusChange.Side.choices
        ]
        if not self.is_bound:
            self.initial.setdefault("effective", effective_default(twinning))

    def needs_confirmation(self) -> bool:
        """A valid termination not yet confirmed, or any action other than the one the
        question asked about (changed after it): the page asks before it records it."""
        action, confirmed = self.cleaned_data["action"], self.cleaned_data["confirmed"]
        return confirmed != action and (action == "terminate" or bool(confirmed))

    def changed_since_question(self) -> bool:
        """The officer answered a question about another action than the one now chosen."""
        confirmed = self.cleaned_data["confirmed"]
        return bool(confirmed) and confirmed != self.cleaned_data["action"]

    def action_label(self) -> str:
        return ACTIONS[self.cleaned_data["action"]][0]


def effective_default(twinning: Twinning) -> dt.date:
    """Today in the officer's own zone (their profile's or browser's, which the request
    runs in), but never a day neither city has reached, which the service refuses; with
    no zone known, the later of the cities' days rather than UTC's, which lags Tokyo's
    mornings."""
    latest = cities_today(twinning)
    if timezone.get_current_timezone_name() == settings.TIME_ZONE:
        return latest
    return min(timezone.localdate(), latest)


def region_choices(country: str) -> list[tuple[str, str]]:
    """The country's ISO 3166-2 subdivisions, by name, after a blank "not recorded"."""
    return [("", _("Not recorded"))] + subdivisions_of(country)


class CityRegionsForm(forms.Form):
    """The regions of a twinning's two cities (which restrictive laws reach them)."""

    region_a = forms.ChoiceField(required=False)
    region_b = forms.ChoiceField(required=False)

    def __init__(self, *args, twinning: Twinning, **kwargs):
        super().__init__(*args, **kwargs)
        for side, city in (("a", twinning.city_a), ("b", twinning.city_b)):
            field = self.fields[f"region_{side}"]
            field.label = _("Region of %(city)s") % {"city": city.name}
            field.choices = region_choices(city.country)
            field.help_text = _("ISO 3166-2 subdivision: a state, province or county.")
            self.initial.setdefault(f"region_{side}", city.region)

    def clean(self):
        # A blank choice ("Not recorded") clears a region on purpose; a field missing from
        # the request (an empty POST, a hand-made one) would clear it silently.
        for name in self.fields:
            if self.is_bound and name not in self.data:
                self.add_error(name, _("Choose a region, or “Not recorded” to clear it."))
        return super().clean()

    def error_text(self) -> str:
        """Every error, each after the label of its field ("Region of Houston: …")."""
        return " ".join(
            _("%(field)s: %(error)s") % {"field": self.fields[name].label, "error": error}
            for name, errors in self.errors.items() if name in self.fields
            for error in errors
        )
