"""What a figure hidden by the small-count rule shows on the officers' pages (the marks
"<5" and "—", each with its reason on hover), and the matching runs' table as shown."""

from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext as _


def hidden_marks():
    """What a count the small-count rule hides shows: "<5" for a count from 1 to 4, "—"
    for one hidden so that it cannot be worked out; each with its reason on hover."""
    return (
        format_html('<abbr title="{}">&lt;5</abbr>', _("a count from 1 to 4")),
        format_html('<abbr title="{}">—</abbr>',
                    _("hidden so that a small count cannot be worked out")),
    )


# The runs' figures that the small-count rule may hide, in the table's order.
RUN_FIGURES = ("participants_count", "candidate_edges", "pairs_count", "matched_places",
               "unmatched_count", "total_score")


def runs_shown(runs: dict) -> dict:
    """The runs' table (``run_rows``) and the matches by status (``match_counts``) as
    shown: a figure the small-count rule hides shows its mark, as the figures do."""
    small, worked_out = hidden_marks()
    marks = {"small": small, "complementary": worked_out}
    rows = []
    for run in runs["runs"]:
        hidden = runs["runs_hidden"].get(run.pk, {})
        values = {key: getattr(run, key) for key in RUN_FIGURES}
        values["total_score"] = floatformat(run.total_score, 2)
        rows.append({"run": run, "hidden": bool(hidden), "figures": {
            key: marks[hidden[key]] if key in hidden else value
            for key, value in values.items()}})
    counts = {status: marks.get(runs["counts_hidden"].get(status), n)
              for status, n in runs["match_counts"].items()}
    return {"run_rows": rows, "match_counts": counts}
