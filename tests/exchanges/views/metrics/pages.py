"""What the officer's page tests share besides fixtures: a range and a URL."""

from django.urls import reverse

SPRING = {"from": "2026-03-01", "to": "2026-05-31"}
# The figures a classroom program has none of (its pupils are paired by their teachers).
MATCH_ONLY = ("matched", "match_rate", "acceptance_rate", "median_days_to_match",
              "messages_per_active_match")


def program_url(name, program):
    return reverse(name, args=[program.slug])
