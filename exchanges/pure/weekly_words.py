"""How a weekly slot and a weekday are said: the labels the pages show in the reader's
language, and the English weekday names the models keep as choices."""

from django.utils.translation import gettext_lazy, pgettext_lazy

# A weekly slot as the reader says it ("Mondays 18:00"), in the active language.
WEEKLY_AT = (
    gettext_lazy("Mondays %(time)s"),
    gettext_lazy("Tuesdays %(time)s"),
    gettext_lazy("Wednesdays %(time)s"),
    gettext_lazy("Thursdays %(time)s"),
    gettext_lazy("Fridays %(time)s"),
    gettext_lazy("Saturdays %(time)s"),
    gettext_lazy("Sundays %(time)s"),
)
# The same slot inside a sentence ("Alice proposes le lundi à 18:00"): some languages
# write it otherwise there than as a label of its own.
WEEKLY_IN_SENTENCE = (
    pgettext_lazy("weekly slot inside a sentence", "Mondays %(time)s"),
    pgettext_lazy("weekly slot inside a sentence", "Tuesdays %(time)s"),
    pgettext_lazy("weekly slot inside a sentence", "Wednesdays %(time)s"),
    pgettext_lazy("weekly slot inside a sentence", "Thursdays %(time)s"),
    pgettext_lazy("weekly slot inside a sentence", "Fridays %(time)s"),
    pgettext_lazy("weekly slot inside a sentence", "Saturdays %(time)s"),
    pgettext_lazy("weekly slot inside a sentence", "Sundays %(time)s"),
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
