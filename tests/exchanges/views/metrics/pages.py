"""What the officer's page tests share besides fixtures: a range, an officer, a URL."""

from django.contrib.auth.models import Group
from django.urls import reverse

from exchanges.models import Role
from tests.factories import UserFactory

SPRING = {"from": "2026-03-01", "to": "2026-05-31"}
# The figures a classroom program has none of (its pupils are paired by their teachers).
MATCH_ONLY = ("matched", "match_rate", "acceptance_rate", "median_days_to_match",
              "messages_per_active_match")


def officer_of(program):
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=Role.OFFICER)[0])
    program.officers.add(user)
    return user


def program_url(name, program):
    return reverse(name, args=[program.slug])
