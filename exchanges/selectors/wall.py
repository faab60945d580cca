"""Reads of an exchange's wall: who may see it, which posts each member sees, an image
for a member, and the teacher's export.

Members of an exchange are its two teachers and the pupils of its two classes (once it
ended, those who were in them by then, until its pupils' data is purged); nobody else
sees anything of it (officers included). A post is visible to every member once
approved; before that only to its author and the teacher of the author's class.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet

from exchanges.models import (
    ClassroomExchange,
    Participant,
    WallComment,
    WallImage,
    WallPost,
)


@dataclass(frozen=True)
class WallViewer:
    user_id: int
    is_teacher: bool
    classroom_id: int  # the viewer's own class in the exchange


def wall_viewer(*, exchange: ClassroomExchange, user) -> WallViewer | None:
    """The user's place in the exchange, or None when they are not a member."""
    if not user.is_authenticated:
        return None
    for classroom_id, teacher_id in (
        (exchange.classroom_a_id, exchange.classroom_a.teacher_id),
        (exchange.classroom_b_id, exchange.classroom_b.teacher_id),
    ):
        if user.pk == teacher_id:
            return WallViewer(user.pk, True, classroom_id)
    if not user.is_pupil:
        return None
    classroom_id = (
        Participant.objects.filter(user_id=user.pk).values_list("classroom_id", flat=True).first()
    )
    if classroom_id in exchange.classroom_ids and pupil_was_in(
        exchange=exchange, joined=user.date_joined
    ) and pupils_still_read(exchange):
        return WallViewer(user.pk, False, classroom_id)
    return None


def pupil_was_in(*, exchange: ClassroomExchange, joined: dt.datetime) -> bool:
    """Whether a pupil of its classes who joined their class at ``joined`` takes part in
    the exchange: one who joined after it ended was never in it (the retention purge
    leaves them out too)."""
    ended = exchange.status == ClassroomExchange.Status.ENDED and exchange.ended_at is not None
    return not ended or joined <= exchange.ended_at


# The exchanges whose pupils still read them: an ended one until its pupils' data is
# purged (services/retention.py); then only its teachers do, its pupils who stay (their
# class is in another exchange) no more. The pupils' home lists the same ones.
PUPILS_STILL_READ = ~Q(status=ClassroomExchange.Status.ENDED) | Q(
    retention__purged_at__isnull=True)


def pupils_still_read(exchange: ClassroomExchange) -> bool:
    if exchange.status != ClassroomExchange.Status.ENDED:
        return True
    return ClassroomExchange.objects.filter(pk=exchange.pk).filter(PUPILS_STILL_READ).exists()


def exchange_for_member(*, exchange_id: int, user) -> tuple[ClassroomExchange, WallViewer] | None:
    exchange = (
        ClassroomExchange.objects.select_related("classroom_a", "classroom_b")
        .filter(pk=exchange_id)
        .first()
    )
    if exchange is None:
        return None
    viewer = wall_viewer(exchange=exchange, user=user)
    return (exchange, viewer) if viewer is not None else None


def _visible(viewer: WallViewer) -> Q:
    visible = Q(status=WallPost.Status.APPROVED) | Q(author_id=viewer.user_id)
    if viewer.is_teacher:
        # The teacher decides on their own pupils' posts.
        visible |= Q(author__participant__classroom_id=viewer.classroom_id)
    return visible


# A wall grows a post at a time for a whole school year: it is read a page at a time.
WALL_POSTS_PER_PAGE = 20


def wall_posts(*, exchange: ClassroomExchange, viewer: WallViewer) -> QuerySet[WallPost]:
    """The posts ``viewer`` may see, newest first, with images, comments and authors."""
    return (
        WallPost.objects.filter(exchange=exchange)
        .filter(_visible(viewer))
        .select_related("author", "author__participant__classroom")
        .prefetch_related(
            "images",
            Prefetch(
                "comments",
                queryset=WallComment.objects.select_related(
                    "author", "author__participant__classroom"
                ),
            ),
        )
    )


def wall_posts_page(*, exchange: ClassroomExchange, viewer: WallViewer, number,
                    per_page: int = WALL_POSTS_PER_PAGE) -> Page:
    """One page of ``wall_posts`` (a number out of range gives the nearest page)."""
    return Paginator(wall_posts(exchange=exchange, viewer=viewer), per_page).get_page(number)


def wall_page_of(*, exchange: ClassroomExchange, viewer: WallViewer, post: WallPost,
                 per_page: int = WALL_POSTS_PER_PAGE) -> int:
    """The page of the wall that shows ``post`` (newest first: the posts before it are
    the newer ones)."""
    newer = (
        WallPost.objects.filter(exchange=exchange)
        .filter(_visible(viewer))
        .filter(Q(created_at__gt=post.created_at) | Q(created_at=post.created_at, pk__gt=post.pk))
        .count()
    )
    return newer // per_page + 1


def wall_post_for_viewer(*, exchange: ClassroomExchange, viewer: WallViewer,
                         post_id: int) -> WallPost | None:
    return (
        WallPost.objects.filter(exchange=exchange, pk=post_id)
        .filter(_visible(viewer))
        .select_related("author", "author__participant")
        .first()
    )


def wall_image_for_viewer(*, exchange: ClassroomExchange, viewer: WallViewer,
                          image_id: int) -> WallImage | None:
    visible_posts = WallPost.objects.filter(exchange=exchange).filter(_visible(viewer))
    return WallImage.objects.filter(pk=image_id, post__in=visible_posts).first()


def wall_pending_count(*, exchange: ClassroomExchange, viewer: WallViewer) -> int:
    if not viewer.is_teacher:
        return 0
    return WallPost.objects.filter(
        exchange=exchange,
        status=WallPost.Status.PENDING,
        author__participant__classroom_id=viewer.classroom_id,
    ).count()


def wall_export_posts(*, exchange: ClassroomExchange) -> list[WallPost]:
    """Every published post of the exchange with its images and comments (the export)."""
    return list(
        WallPost.objects.filter(exchange=exchange, status=WallPost.Status.APPROVED)
        .select_related("author", "author__participant__classroom")
        .prefetch_related(
            "images",
            Prefetch("comments", queryset=WallComment.objects.select_related("author")),
        )
        .order_by("created_at", "id")
    )
