"""The wall a page at a time: a year of posts is not one page, the queries do not grow
with the posts, and a comment on an older post comes back to that post's page."""

import re

import pytest
from django.urls import reverse

from exchanges.models import WallComment, WallPost
from exchanges.selectors.wall import WALL_POSTS_PER_PAGE
from tests.exchanges.wall_fixtures import client_for, make_exchange

pytestmark = pytest.mark.django_db


@pytest.fixture
def built():
    return make_exchange()


def _posts(built, n):
    """``n`` published posts (post 0 the oldest), each with a comment of a partner pupil."""
    posts = [WallPost.objects.create(exchange=built.exchange, author=built.a.teacher,
                                     text=f"post number {i}.", status=WallPost.Status.APPROVED)
             for i in range(n)]
    WallComment.objects.bulk_create([
        WallComment(post=post, author=built.b.pupils[0], text="nice") for post in posts])
    return posts


def _shown(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"post number (\d+)\.", html)]


def test_the_wall_shows_one_page_of_the_newest_posts(built):
    _posts(built, WALL_POSTS_PER_PAGE * 2 + 5)
    client = client_for(built.b.pupils[0])
    url = reverse("wall", args=[built.exchange.pk])
    first = client.get(url).content.decode()
    assert _shown(first) == list(range(44, 24, -1))
    assert "Page 1 of 3" in first and "?page=2" in first
    last = client.get(url + "?page=3").content.decode()
    assert _shown(last) == [4, 3, 2, 1, 0]
    assert _shown(client.get(url + "?page=99").content.decode()) == [4, 3, 2, 1, 0]


@pytest.mark.parametrize("posts", [3, 60])
def test_the_wall_queries_do_not_grow_with_the_posts(built, posts,
                                                     django_assert_max_num_queries):
    _posts(built, posts)
    client = client_for(built.a.teacher)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("wall", args=[built.exchange.pk]))
    assert len(_shown(response.content.decode())) == min(posts, WALL_POSTS_PER_PAGE)


def test_a_comment_on_an_older_post_comes_back_to_its_page(built):
    oldest = _posts(built, WALL_POSTS_PER_PAGE + 3)[0]
    client = client_for(built.b.pupils[1])
    url = reverse("wall_comment", args=[built.exchange.pk, oldest.pk])
    response = client.post(url, {"text": "Hello from Dresden"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?page=2#post-{oldest.pk}")
    refused = client.post(url, {"text": ""})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert f'id="comment-{oldest.pk}-error"' in html and "Page 2 of 2" in html
