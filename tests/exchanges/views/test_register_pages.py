"""The register's page a page of twinnings at a time, with the totals over all of them;
the JSON stays whole (it is the open data)."""

import re

import pytest
from django.urls import reverse

from exchanges.models import Twinning
from exchanges.selectors.register import REGISTER_ROWS_PER_PAGE
from tests.factories import TwinningFactory

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="twinning-(\d+)">', html)]


def test_the_register_page_lists_the_twinnings_a_page_at_a_time(client):
    TwinningFactory.create_batch(REGISTER_ROWS_PER_PAGE * 2 + 7)
    first = client.get(reverse("transparency")).content.decode()
    assert len(_rows(first)) == REGISTER_ROWS_PER_PAGE
    assert "Page 1 of 3" in first and "?page=2" in first
    assert "All twinnings" in first
    last = client.get(reverse("transparency") + "?page=3").content.decode()
    assert len(_rows(last)) == 7 and not set(_rows(first)) & set(_rows(last))
    seen = set()
    for number in (1, 2, 3):
        seen |= set(_rows(client.get(reverse("transparency"), {"page": number})
                          .content.decode()))
    assert seen == set(Twinning.objects.values_list("pk", flat=True))
    data = client.get(reverse("transparency_json")).json()
    assert len(data["twinnings"]) == REGISTER_ROWS_PER_PAGE * 2 + 7


@pytest.mark.parametrize("twinnings", [3, 300])
def test_the_register_page_stays_small_and_its_queries_flat(client, twinnings,
                                                            django_assert_max_num_queries):
    TwinningFactory.create_batch(twinnings)
    with django_assert_max_num_queries(6):
        html = client.get(reverse("transparency"), {"page": "1"}).content.decode()
    assert len(_rows(html)) == min(twinnings, REGISTER_ROWS_PER_PAGE)


@pytest.mark.parametrize("page", ["x", "0", "-1", "1.5", "２"])
def test_a_page_that_is_not_a_whole_number_from_1_is_a_clear_400(client, page):
    TwinningFactory.create_batch(3)
    response = client.get(reverse("transparency"), {"page": page},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "whole number from 1" in response.content.decode()


@pytest.mark.parametrize("page", ["3", "99999999999999999999", "9" * 5000])
def test_a_page_past_the_last_shows_the_last(client, page):
    # Python refuses int() of over 4300 digits: such a number is past the last page too.
    TwinningFactory.create_batch(REGISTER_ROWS_PER_PAGE + 1)
    html = client.get(reverse("transparency"), {"page": page}).content.decode()
    assert len(_rows(html)) == 1 and "Page 2 of 2" in html
