"""Forms of the teacher side and of /join/."""

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from exchanges.forms.profile import CityChoiceField, LanguageForm, WindowForm
from exchanges.models.classrooms import JOIN_CODE_LENGTH
from exchanges.pure.plannable import input_bounds
from exchanges.selectors.twinnings import cities_with_active_twinning
from exchanges.services.classrooms import AGE_LIMITS, SIZE_LIMITS, ClassroomInput, HolidayInput
from exchanges.services.participants import LanguageInput, WindowInput

# A date input takes ISO dates whatever the interface language (the localised
# format, 03/12/2026 in French, would leave it empty).
ISO_DATE = "%Y-%m-%d"


class CitySelect(forms.Select):
    """Options carry their country, so the page can show that country's consent age."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-country"] = instance.country
        return option


class TeacherApplicationForm(forms.Form):
    school = forms.CharField(max_length=160, label=_("School name"))
    city = CityChoiceField(
        queryset=cities_with_active_twinning(), empty_label=_("Choose the school's city"),
        help_text=_("Only cities with an active twinning are listed."), label=_("City"),
    )
    role_at_school = forms.CharField(
        max_length=80, label=_("Your role at the school"), help_text=_("e.g. German teacher")
    )
    verification = forms.CharField(
        max_length=300, label=_("How can we check?"),
        help_text=_("Your school's e-mail domain (school.example) or a link to its staff page."),
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(max_length=500, label=_("Reason"),
                             widget=forms.Textarea(attrs={"rows": 2}))


class ClassroomForm(forms.Form):
    name = forms.CharField(max_length=80, label=_("Class name"), help_text=_("e.g. 7B German"))
    school = forms.CharField(max_length=160, label=_("School"))
    city = CityChoiceField(
        queryset=cities_with_active_twinning(), empty_label=_("Choose the city"),
        widget=CitySelect, label=_("City"),
    )
    age_min = forms.IntegerField(label=_("Youngest pupils' age"), min_value=AGE_LIMITS[0],
                                 max_value=AGE_LIMITS[1])
    age_max = forms.IntegerField(label=_("Oldest pupils' age"), min_value=AGE_LIMITS[0],
                                 max_value=AGE_LIMITS[1])
    size = forms.IntegerField(label=_("Number of pupils"), min_value=SIZE_LIMITS[0],
                              max_value=SIZE_LIMITS[1])
    term_start = forms.DateField(label=_("First day of term"),
                                 widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE))
    term_end = forms.DateField(label=_("Last day of term"),
                               widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE))
    consent = forms.BooleanField(
        required=False,
        label=_("My school holds the consent its country requires for pupils of this age."),
        help_text=_("Needed when the youngest pupils are under their country's consent age."),
    )
    # Times that cancel scheduled class sessions are asked about first; the answer carries
    # which sessions the question named (services/class_sessions.py).
    sessions_confirmed = forms.CharField(required=False, max_length=100,
                                         widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bounds = input_bounds(timezone.localdate())
        for name in ("term_start", "term_end"):
            self.fields[name].widget.attrs.update(bounds)

    def clean(self):
        data = super().clean()
        if data.get("age_min") and data.get("age_max") and data["age_max"] < data["age_min"]:
            self.add_error("age_max", _("The oldest pupils cannot be younger than the youngest."))
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("The term ends after it starts."))
        return data

    def to_input(self, *, languages: list[LanguageInput], hours: list[WindowInput],
                 holidays: list[HolidayInput]) -> ClassroomInput:
        data = self.cleaned_data
        return ClassroomInput(
            name=data["name"], school=data["school"], city=data["city"], age_min=data["age_min"],
            age_max=data["age_max"], size=data["size"], term_start=data["term_start"],
            term_end=data["term_end"], languages=languages, hours=hours, holidays=holidays,
            consent_confirmed=bool(data.get("consent")),
        )


class ClassLanguageForm(LanguageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learning"].label = _("The class…")
        self.fields["learning"].choices = [("0", _("speaks it")), ("1", _("learns it"))]


class BaseInputFormSet(forms.BaseFormSet):
    def inputs(self) -> list:
        return [
            form.to_input()
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


class HolidayForm(forms.Form):
    first_day = forms.DateField(label=_("First day"),
                                widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE))
    last_day = forms.DateField(label=_("Last day"),
                               widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE))
    name = forms.CharField(max_length=80, required=False, label=_("Name (optional)"))

    def clean(self):
        data = super().clean()
        if data.get("first_day") and data.get("last_day") and data["last_day"] < data["first_day"]:
            self.add_error("last_day", _("A holiday ends on or after its first day."))
        return data

    def to_input(self) -> HolidayInput:
        data = self.cleaned_data
        return HolidayInput(first_day=data["first_day"], last_day=data["last_day"],
                            name=data.get("name", ""))


# max_num is what a class may hold; absolute_max caps the rows a forged TOTAL_FORMS can make
# Django build (its default is max_num + 1000), well above max_num so that a teacher who
# typed too many rows gets every one back with the message.
ROWS_BUILT_AT_MOST = 100


def _rows(form, max_num: int, too_many):
    """A formset of ``form`` rows, at most ``max_num`` kept, refusing more in words
    (``too_many``, not Django's "Please submit at most N forms")."""
    base = type("RowsFormSet", (BaseInputFormSet,),
                {"default_error_messages": {"too_many_forms": too_many}})
    return formset_factory(form, formset=base, extra=1, can_delete=True, max_num=max_num,
                           validate_max=True, absolute_max=ROWS_BUILT_AT_MOST)


ClassLanguageFormSet = _rows(ClassLanguageForm, 8, ngettext_lazy(
    "A class lists at most %(num)d language: remove the rows it needs least (tick "
    "“remove”), then save.",
    "A class lists at most %(num)d languages: remove the rows it needs least (tick "
    "“remove”), then save.", "num"))
SchoolHoursFormSet = _rows(WindowForm, 21, ngettext_lazy(
    "A class gives at most %(num)d weekly school-hour window: remove some rows or join "
    "windows that touch (tick “remove”), then save.",
    "A class gives at most %(num)d weekly school-hour windows: remove some rows or join "
    "windows that touch (tick “remove”), then save.", "num"))
HolidayFormSet = _rows(HolidayForm, 20, ngettext_lazy(
    "A class lists at most %(num)d holiday: remove some rows or join holidays that "
    "touch (tick “remove”), then save.",
    "A class lists at most %(num)d holidays: remove some rows or join holidays that "
    "touch (tick “remove”), then save.", "num"))


class CodeRotateForm(forms.Form):
    expires_on = forms.DateField(
        label=_("New pupils may join until"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )


class PupilNamesForm(forms.Form):
    names = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), max_length=3000, label=_("Names"),
        help_text=_("One pupil a line: first name and the initial of the surname (Amelia K.)."),
    )

    def name_list(self) -> list[str]:
        return self.cleaned_data["names"].splitlines()


class _CodeField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=JOIN_CODE_LENGTH + 4, label=_("Class code"), **kwargs)
        self.widget.attrs.update(autocomplete="off", autocapitalize="characters",
                                 spellcheck="false")


class PupilJoinForm(forms.Form):
    code = _CodeField()
    display_name = forms.CharField(max_length=40, label=_("Your name"),
                                   help_text=_("First name and the initial of your surname."))
    password = forms.CharField(widget=forms.PasswordInput, max_length=128, label=_("Password"),
                               help_text=_("At least 8 characters."))


class PupilLoginForm(forms.Form):
    code = _CodeField()
    display_name = forms.CharField(max_length=40, label=_("Your name"))
    password = forms.CharField(widget=forms.PasswordInput, max_length=128, label=_("Password"))


class PupilPasswordForm(forms.Form):
    """``asks_current``: the pupil chose a password already (not the card's), so the page
    asks for it before it changes."""

    current = forms.CharField(widget=forms.PasswordInput, max_length=128,
                              label=_("Your password now"))
    password = forms.CharField(widget=forms.PasswordInput, max_length=128,
                               label=_("Your new password"))
    password2 = forms.CharField(widget=forms.PasswordInput, max_length=128,
                                label=_("The same again"))

    def __init__(self, *args, asks_current: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not asks_current:
            del self.fields["current"]

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class PartnerRequestForm(forms.Form):
    message = forms.CharField(max_length=1000, required=False, label=_("Message"),
                              widget=forms.Textarea(attrs={"rows": 2}))


class PartnerReplyForm(forms.Form):
    reply = forms.CharField(max_length=1000, required=False, label=_("Message"),
                            widget=forms.Textarea(attrs={"rows": 2}))

