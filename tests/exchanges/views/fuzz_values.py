"""Hypothesis strategies for fuzzing HTML forms: for each field a value the page could
send (derived from the Django form field) or a hostile one, and the raw urlencoded body.

A value is text or bytes. Text is encoded with ``surrogatepass`` so that lone surrogates
reach the server as the bytes an attacker would send (Django's test client refuses to
encode them); bytes are sent as they are, invalid UTF-8 included.
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote_from_bytes

from django import forms
from hypothesis import strategies as st

# Inputs that broke, or could break, a page: NUL (PostgreSQL text refuses it), text that
# normalisation lengthens, dates and zones at the edges of what datetime and zoneinfo
# take, numbers that overflow, path tricks.
HOSTILE = [
    "", " ", "\x00", "a\x00b", "\ud800", "\udfff", "\ufeff", "\u202e", "\r\n",
    "ⅷ" * 40, "ﬃ" * 40, "İ" * 40, "ß" * 40, "9" * 40, "-1", "0", "1e309", "NaN", "-0",
    "9999-12-31T23:30", "0001-01-01T00:00", "9999-12-31", "0000-00-00", "2027-02-30",
    "2027-03-28T01:30", "24:00", "23:59:60", "1|19:00|Europe", "1|19:00|" + "A" * 300,
    "0|19:00|../../../etc/passwd", "../../etc/passwd", "<script>alert(1)</script>",
    "' OR 1=1 --", "%s%n", "{{ 7*7 }}", "https://evil.example/", "//evil.example",
    "a" * 5000,
]
HUGE_UNITS = ["a", "ⅷ", "\x00", "é", "9", ",", "\ud800"]

surrogates = st.text(st.characters(categories=["Cs"]), min_size=1, max_size=8)
huge = st.builds(lambda unit, n: unit * n, st.sampled_from(HUGE_UNITS), st.integers(1000, 60_000))

hostile = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=80),
    surrogates,
    st.binary(max_size=40),
    huge,
    st.integers().map(str),
    st.datetimes().map(lambda d: d.isoformat(timespec="minutes")),
    st.dates().map(dt.date.isoformat),
)

_RECENT = {"min_value": dt.datetime(2020, 1, 1), "max_value": dt.datetime(2035, 12, 31)}


def plausible(field: forms.Field, choices: list[str] | None = None) -> st.SearchStrategy:
    """Values of the kind the page's own widget sends for ``field``."""
    if choices is not None:
        return st.sampled_from(choices)
    if isinstance(field, forms.ModelChoiceField):
        pks = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:50]]
        return st.sampled_from(pks or [""])
    if isinstance(field, forms.ChoiceField):
        values = [str(value) for value, label in field.choices if isinstance(label, str)]
        return st.sampled_from(values or [""])
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", ""])
    if isinstance(field, forms.IntegerField):
        low = field.min_value if field.min_value is not None else -1000
        high = field.max_value if field.max_value is not None else 1000
        return st.integers(low, high).map(str)
    if isinstance(field, forms.DateTimeField):
        return st.datetimes(**_RECENT).map(lambda d: d.isoformat(timespec="minutes"))
    if isinstance(field, forms.DateField):
        return st.datetimes(**_RECENT).map(lambda d: d.date().isoformat())
    if isinstance(field, forms.TimeField):
        return st.times().map(lambda t: t.strftime("%H:%M"))
    if isinstance(field, forms.EmailField):
        return st.emails()
    return typed


# What a person types into a text box: letters and digits of any script (Nl gives "ⅷ"),
# spaces and a little punctuation; at least one character.
typed = st.text(
    st.one_of(st.characters(categories=["L", "N"]), st.sampled_from(" ,.-'")), min_size=1,
    max_size=30,
)
missing_or_hostile = st.one_of(st.none(), hostile)


@dataclass(frozen=True)
class Field:
    """A field's plausible values and the ones that spoil it (None: left out)."""

    good: st.SearchStrategy
    bad: st.SearchStrategy = missing_or_hostile


def form_fields(form: forms.Form, prefix: str = "", **choices) -> dict[str, Field]:
    """A strategy per field of a form instance (its choices as built for the page);
    ``choices`` gives a field's known-good values, e.g. a class's join code."""
    names = {name: f"{prefix}-{name}" if prefix else name for name in form.fields}
    return {
        names[name]: Field(plausible(field, choices.get(name)))
        for name, field in form.fields.items()
    }


def row_count(n: int) -> Field:
    """A formset management field: a small count, or garbage. A huge count is left to
    its own tests: unless the formset sets absolute_max, Django builds max_num + 1000
    rows for it and the page takes minutes."""
    return Field(st.just(str(n)), st.sampled_from([None, "", "x", "-1", "\x00", "ⅷ", "1.5"]))


def formset_fields(formset_class, prefix: str, rows: int = 2, **form_kwargs):
    """A strategy per management field and per field of the first ``rows`` rows."""
    fields = {
        f"{prefix}-TOTAL_FORMS": row_count(rows),
        f"{prefix}-INITIAL_FORMS": row_count(0),
        f"{prefix}-MIN_NUM_FORMS": row_count(0),
        f"{prefix}-MAX_NUM_FORMS": row_count(1000),
    }
    for row in range(rows):
        form = formset_class.form(**form_kwargs)
        fields.update(form_fields(form, f"{prefix}-{row}"))
    return fields


def post_data(
    fields: dict[str, Field | st.SearchStrategy], baseline: dict | None = None
) -> st.SearchStrategy:
    """(name, value) pairs: up to three fields spoilt (hostile or left out), the others
    plausible, or (half the time, when given) the ``baseline`` of a form that saves, so
    that many examples get past the form to the service and the database; plus a few
    fields no form has."""
    specs = {
        name: spec if isinstance(spec, Field) else Field(spec) for name, spec in fields.items()
    }
    baseline = {name: str(value) for name, value in (baseline or {}).items()}
    for name in baseline.keys() - specs.keys():
        specs[name] = Field(st.just(baseline[name]))
    names = sorted(specs)

    def values(spoilt, from_baseline):
        def good(name):
            if from_baseline:  # as the form that saves: its values, nothing more
                return st.just(baseline.get(name))
            return specs[name].good

        return st.fixed_dictionaries(
            {name: specs[name].bad if name in spoilt else good(name) for name in names}
        )

    per_field = st.tuples(
        st.sets(st.sampled_from(names), max_size=3),
        st.booleans() if baseline else st.just(False),
    ).flatmap(lambda chosen: values(*chosen))
    extras = st.lists(st.tuples(st.one_of(st.text(max_size=20), surrogates), hostile), max_size=2)
    return st.builds(
        lambda chosen, more: [(k, v) for k, v in chosen.items() if v is not None] + more,
        per_field,
        extras,
    )


def _quoted(value: str | bytes) -> str:
    raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
    return quote_from_bytes(raw, safe="")


def urlencoded(pairs: list[tuple[str | bytes, str | bytes]]) -> bytes:
    """The body a browser (or anyone) sends, byte for byte."""
    return "&".join(f"{_quoted(k)}={_quoted(v)}" for k, v in pairs).encode("ascii")
