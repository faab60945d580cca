"""The officer's program dashboard (/programs/<slug>/) and its exports (metrics.json,
metrics.csv): the figures of exchanges/selectors/metrics for a date range, scoped to the
programs the officer runs (another program, like an unknown one, is not found: 404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import numberformat
from django.utils.formats import get_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from exchanges.forms.metrics import MetricsRangeForm, default_period
from exchanges.models import Program
from exchanges.pure.csv_export import csv_text
from exchanges.pure.languages import language_name
from exchanges.selectors.matching import matching_run_refusal
from exchanges.selectors.metrics import (
    DEFINITIONS,
    KEYS,
    LABELS,
    NOTES,
    Period,
    Scope,
    dashboard,
    metrics,
    program_runs,
    program_with_access,
)
from exchanges.selectors.metrics.definitions import (
    CLASSROOM_NOT_SHOWN,
    MATCH_ONLY,
    RATES,
    figures_for_kind,
)
from exchanges.selectors.metrics.small_rows import (
    NOBODY,
    WEEK_FIGURES,
    breakdown_hidden,
    cohorts_hidden,
    figures_hidden,
    weekly_hidden,
    without_hidden,
)
from exchanges.views.hidden_marks import hidden_marks, runs_shown

# The breakdown's words (its keys stay English, as the selectors compute them).
AGE_BAND_WORDS = {
    "under 18": gettext_lazy("under 18"),
    "66 and over": gettext_lazy("66 and over"),
    "not given": gettext_lazy("not given"),
}


def _officer_program(request, slug: str) -> Program:
    program, allowed = program_with_access(slug=slug, user=request.user)
    if program is None:
        raise Http404(_("No such program."))
    if not allowed:  # another program's existence stays hidden
        raise Http404(_("No such program among yours."))
    return program


def _display(key: str, value, number=number_format, percent=None) -> str:
    if value is None:
        return "—"
    if key in RATES:
        percent = percent or _("%(percent)s %%")
        return percent % {"percent": number(round(value * 100, 1), 1)}
    if isinstance(value, float):
        # One decimal at most, never an exponent (a million contact hours is 1000000).
        rounded = round(value, 1)
        return number(rounded, 0 if rounded.is_integer() else 1)
    return str(value)


def _displays():
    """``_display`` with the language's number format and percent sign looked up once
    (a dashboard shows some five hundred figures)."""
    # What formats.number_format looks up on each call.
    language = get_language()
    decimal_sep, grouping, thousand_sep = (
        get_format(name, language, use_l10n=True)
        for name in ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR")
    )

    def number(value, decimal_pos=None) -> str:
        return numberformat.format(
            value, decimal_sep, decimal_pos, grouping, thousand_sep, use_l10n=True
        )

    percent = _("%(percent)s %%")
    return lambda key, value: _display(key, value, number, percent)


def _not_shown(program: Program) -> dict:
    """The figures that mean nothing for a program of its kind (null in the exports)."""
    return CLASSROOM_NOT_SHOWN if program.kind == Program.Kind.CLASSROOM else {}


def _shown_keys(program: Program) -> tuple[str, ...]:
    """The figures the dashboard shows for the program: a classroom program's page leaves
    out the match figures (cards, table columns, definitions) instead of a row of dashes."""
    not_shown = _not_shown(program)
    return tuple(key for key in KEYS if key not in not_shown)


def _labels(keys) -> str:
    return pgettext("separator between names in a list", ", ").join(
        str(LABELS[key]) for key in keys
    )


def _shown(display):
    """``display(key, value, hidden)``: a figure's value as shown, or the mark of why the
    small-count rule hides it (``hidden``: {figure: reason}, small_rows.figures_hidden)."""
    small, worked_out = hidden_marks()
    marks = {"small": small, "complementary": worked_out,
             NOBODY: format_html('<abbr title="{}">—</abbr>',
                                 _("no rate: this row counts nobody"))}
    return lambda key, value, hidden: (
        marks[hidden[key]] if key in hidden else display(key, value))


def _rows(figures: dict, display=_display, keys=KEYS, hidden=None) -> list[dict]:
    """Each figure with its label, value as shown (or the mark of why it is ``hidden``)
    and definition, in the issue's order."""
    shown = _shown(display)
    return [
        {"key": key, "label": LABELS[key], "value": shown(key, figures[key], hidden or {}),
         "definition": DEFINITIONS[key]}
        for key in keys
    ]


def _table(rows: list[dict], display=_display, keys=KEYS, hidden=None) -> list[dict]:
    """Each row's cells as one escaped HTML string: hundreds of cells, one template
    variable a row instead of a loop of nodes; a figure the small-count rule hides (per
    row in ``hidden``) shows its mark."""
    shown = _shown(display)
    return [
        {"name": row["name"],
         "cells": format_html_join("", "<td>{}</td>", (
             (shown(k, row[k], flags),) for k in keys))}
        for row, flags in zip(rows, hidden or [{}] * len(rows), strict=True)
    ]


@login_required
def program_dashboard(request, slug: str):
    program = _officer_program(request, slug)
    runs = program_runs(program=program)
    if request.headers.get("HX-Request"):  # the matching runs' live refresh
        context = {"program": program, **runs, **runs_shown(runs)}
        return render(request, "exchanges/programs/_runs_poll.html", context)
    form = MetricsRangeForm(request.GET or None)
    valid = form.is_bound and form.is_valid()
    period = form.period() if valid else default_period()
    figures = figures_for_kind(
        dashboard(scope=Scope(program_ids=(program.pk,)), period=period), kind=program.kind
    )
    twinnings = figures["twinnings"]  # the program's own, whatever their status
    context = {"program": program,
               "run_refusal": matching_run_refusal(program=program, twinnings=twinnings),
               **runs, **runs_shown(runs)}
    display = _displays()
    weekly = _weekly(figures["weekly"], display)
    profile = figures["profile"]
    cohorts = profile["cohorts"]
    shown = _shown_keys(program)
    hidden = figures_hidden(figures, shown)
    breakdown = _breakdown(profile["breakdown"])
    context.update(
        form=form,
        period=period,
        as_of=figures["as_of"],
        figures=_rows(figures["totals"], display, shown, hidden["totals"]),
        not_applicable=_labels(k for k in MATCH_ONLY if k in _not_shown(program)),
        twinnings=twinnings,
        labels=[LABELS[k] for k in shown],
        by_twinning=_table(_with_countries(figures["by_twinning"], figures["row_twinnings"]),
                           display, shown, hidden["by_twinning"]),
        by_city=_table(_with_country(figures["by_city"], figures["cities"]), display, shown,
                       hidden["by_city"]),
        breakdown=breakdown,
        open_reports=figures["open_reports"],
        weekly=weekly["table"],
        weekly_hidden=weekly["hidden_weeks"],
        cohorts=_cohorts(cohorts, display),
        age_bands=[
            (AGE_BAND_WORDS.get(band, band), count)
            for band, count in breakdown["age_bands"].items()
        ],
        languages=[
            (language_name(code), count)
            for code, count in breakdown["languages"].items()
        ],
        charts={"weekly": weekly["chart"], "cohorts": _cohort_chart(cohorts),
                "labels": _chart_labels()},
        notes=NOTES,
        query=_range_query(period),
    )
    status = 400 if form.is_bound and not valid else 200
    return render(request, "exchanges/programs/detail.html", context, status=status)


def _with_countries(rows: list[dict], twinnings) -> list[dict]:
    """The by-twinning rows named as the officer's pages name a twinning, with the
    cities' countries (two cities may share a name); the exports keep their names.
    ``twinnings``: each row's, also of a twinning the program no longer has."""
    names = {t.pk: t.with_countries for t in twinnings}
    return [{**row, "name": names.get(row["id"], row["name"])} for row in rows]


def _with_country(rows: list[dict], cities) -> list[dict]:
    """The by-city rows named with their country, as the by-twinning rows are (``cities``:
    each row's City, also of a twinning the program no longer has)."""
    return [{**row, "name": cities[row["id"]].with_country} for row in rows]


def _cohorts(cohorts: list[dict], display) -> list[dict]:
    """The cohort table: a week the small-count rule hides shows "<5" for a count from
    1 to 4 and "—" for the rest of its figures."""
    small, worked_out = hidden_marks()
    rows = []
    for cohort, flags in zip(cohorts, cohorts_hidden(cohorts), strict=True):
        if flags is None:
            rows.append({**cohort,
                         "retention_display": display("retention", cohort["retention"])})
            continue
        rows.append({"week": cohort["week"], "retained": worked_out,
                     "retention_display": worked_out,
                     **{key: small if flag == "small" else worked_out
                        for key, flag in flags.items()}})
    return rows


def _weekly(weekly: list[dict], display) -> dict:
    """The weekly sessions as shown (small_rows.weekly_hidden): the table with "<5" or "—",
    the chart's weeks (a hidden one null, with its mark for its label) and the hidden weeks
    its caption lists; the people each week rests on stay here. The table writes its
    figures as the totals do (hours with one decimal at most), and the chart draws them."""
    marks = dict(zip(("small", "complementary"), hidden_marks(), strict=True))
    texts = {"small": "<5", "complementary": "—"}
    table, chart, hidden_weeks = [], [], []
    for week, flags in zip(weekly, weekly_hidden(weekly), strict=True):
        shown = without_hidden({key: week[key] for key in WEEK_FIGURES}, flags)
        table.append({"week": week["week"], **{
            key: marks[flags[key]] if key in flags else display(key, shown[key])
            for key in WEEK_FIGURES}})
        if shown["contact_hours"] is not None:
            shown["contact_hours"] = round(shown["contact_hours"], 1)
        reason = flags.get("sessions_held")
        chart.append({"week": week["week"], **shown, "hidden": texts.get(reason)})
        if reason:
            hidden_weeks.append({"week": week["week"], "mark": marks[reason]})
    return {"table": table, "chart": chart, "hidden_weeks": hidden_weeks}


def _cohort_chart(cohorts: list[dict]) -> list[dict]:
    """What the cohort chart draws, and no more: a week the table hides has no bar."""
    hidden = cohorts_hidden(cohorts)
    return [{"week": cohort["week"], "retention": None if flags else cohort["retention"]}
            for cohort, flags in zip(cohorts, hidden, strict=True)]


def _breakdown(breakdown: dict) -> dict:
    """The breakdown with each count the small-count rule hides as "<5" or "—"."""
    flags = breakdown_hidden(breakdown)
    small, worked_out = hidden_marks()
    shown = {
        part: {key: {"small": small, "complementary": worked_out}.get(flags[part][key], count)
               for key, count in breakdown[part].items()}
        for part in ("roles", "age_bands", "languages")
    }
    return {**shown, "classes": breakdown["classes"]}


def _chart_labels() -> dict:
    """The charts' words in the page's language (static/js/metrics.js reads them)."""
    return {
        "sessions_held": _("Sessions held"),
        "contact_hours": _("Contact hours"),
        "retention": _("Retention (%)"),
    }


def _range_query(period: Period) -> str:
    first = f"from={period.first.isoformat()}&" if period.first else ""
    return f"{first}to={period.last.isoformat()}"


def _export_figures(request, slug: str):
    """(program, period, figures) or a 400 JSON response for a bad range."""
    program = _officer_program(request, slug)
    form = MetricsRangeForm(request.GET)
    if not form.is_valid():
        return program, None, JsonResponse(
            {"error": _("Bad date range: give from and to as YYYY-MM-DD, from not after to."),
             "fields": form.error_text()},
            status=400,
        )
    period = form.period()
    figures = metrics(scope=Scope(program_ids=(program.pk,)), period=period)
    return program, period, figures_for_kind(figures, kind=program.kind)


def _strip(row: dict, hidden: dict[str, str]) -> dict:
    """A row as the JSON gives it: a figure the page hides is null, and ``hidden`` says
    which and why."""
    row = without_hidden(row, hidden)
    return {**{key: row[key] for key in ("id", "name", *KEYS)}, "hidden": hidden}


@login_required
def program_metrics_json(request, slug: str):
    program, period, figures = _export_figures(request, slug)
    if period is None:
        return figures
    hidden = figures_hidden(figures, _shown_keys(program))
    return JsonResponse(
        {
            "program": program.slug,
            "from": period.first.isoformat() if period.first else None,
            "to": period.last.isoformat(),
            # When the figures were computed (null: not yet).
            "as_of": figures["as_of"].isoformat() if figures["as_of"] else None,
            **without_hidden(figures["totals"], hidden["totals"]),
            "hidden": hidden["totals"],
            **{part: [_strip(row, flags) for row, flags in
                      zip(figures[part], hidden[part], strict=True)]
               for part in ("by_twinning", "by_city")},
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _country_codes(twinnings, cities) -> tuple[dict[int, str], dict[int, str]]:
    """The CSV's last column, by twinning and by city id: two cities may share a name
    (Birmingham), and the CSV has no ids to tell their rows apart. ISO codes, the same
    in every language; a column added last, so the others keep their places."""
    by_twinning = {t.pk: f"{t.city_a.country} – {t.city_b.country}" for t in twinnings}
    return by_twinning, {pk: city.country for pk, city in cities.items()}


@login_required
def program_metrics_csv(request, slug: str):
    program, period, figures = _export_figures(request, slug)
    if period is None:
        return figures
    twinnings, cities = _country_codes(figures["row_twinnings"], figures["cities"])
    hidden = figures_hidden(figures, _shown_keys(program))

    def line(level: str, row: dict, flags: dict[str, str], countries: str) -> tuple:
        # A figure the page hides is empty; the last column says which and why.
        row = without_hidden(row, flags)
        return (level, row.get("name", program.name), *(row[k] for k in KEYS), countries,
                " ".join(f"{key}:{reason}" for key, reason in flags.items()))

    rows = [line("program", figures["totals"], hidden["totals"], "")]
    rows += [line("twinning", r, flags, twinnings.get(r["id"], ""))
             for r, flags in zip(figures["by_twinning"], hidden["by_twinning"], strict=True)]
    rows += [line("city", r, flags, cities.get(r["id"], ""))
             for r, flags in zip(figures["by_city"], hidden["by_city"], strict=True)]
    response = HttpResponse(
        csv_text(("level", "name", *KEYS, "countries", "hidden"), rows),
        content_type="text/csv; charset=utf-8",
    )
    first = period.first.isoformat() if period.first else "start"
    response["Content-Disposition"] = (
        f'attachment; filename="{program.slug}-metrics-{first}-to-{period.last.isoformat()}.csv"'
    )
    return response
