"""Every named URL, swept: hypothesis sends stray values of the field names the
platform's forms use, in a POST body or a GET's query string, as anyone (anonymous, each
role), and no answer is a 5xx. test_forms_fuzz.py fuzzes each form field by field; the
world, the rolled-back requests and the budget are in fuzz_harness.py.
"""

import pytest
from django.urls import reverse
from hypothesis import strategies as st

from tests.exchanges.views.fuzz_harness import ROUTES, World, build_world, fuzz, post_and_undo
from tests.exchanges.views.fuzz_values import post_data

pytestmark = pytest.mark.django_db

# A quarter of the budget (fuzz_harness.examples).
SHALLOW = 0.25


@pytest.fixture
def world() -> World:
    return build_world()


# Field names the platform's forms use, posted with stray values to every URL.
STRAY_FIELDS = sorted({
    "next", "reason", "message", "reply", "body", "text", "title", "caption", "comment",
    "name", "names", "email", "password", "code", "slot", "new_start", "start", "end",
    "date", "from", "to", "until", "minutes", "action", "status", "note", "csrfmiddlewaretoken",
    "start_date", "end_date", "since", "page", "format", "before", "limit", "q", "kind",
})


def _route_kwargs(world: World, pattern) -> dict:
    converters = getattr(pattern, "converters", {})
    names = list(converters) or list(pattern.regex.groupindex)
    values = {}
    for kwarg in names:
        if kwarg in world.urls:
            values[kwarg] = world.urls[kwarg]
        elif type(converters.get(kwarg)).__name__ == "IntConverter":
            values[kwarg] = 1
        else:
            values[kwarg] = "x1"
    return values


def test_no_url_answers_a_server_error_to_stray_fields_from_anyone(client, world):
    """Stray fields in a POST body or in a GET's query string (filters, ``next``)."""
    urls = {name: reverse(name, kwargs=_route_kwargs(world, ROUTES[name])) for name in ROUTES}
    fields = {field: st.text(max_size=40) for field in STRAY_FIELDS}
    data = st.tuples(
        st.sampled_from(sorted(urls)), st.sampled_from(sorted(world.users)),
        st.sampled_from(["POST", "GET"]), post_data(fields),
    )
    fuzz(
        lambda example: post_and_undo(
            client, urls[example[0]], example[3], as_user=world.users[example[1]],
            method=example[2],
        ),
        data,
        SHALLOW,
    )
