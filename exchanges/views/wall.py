"""The exchange wall: the page, posting, a teacher's decision, comments, the images
(streamed to members only: uploads are never public files) and the teacher's export.

Somebody who is not a member of the exchange gets 404, the same answer as for an
exchange that does not exist, so exchange ids cannot be probed.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from exchanges.forms.wall import WallCommentForm, WallPostForm, add_service_errors
from exchanges.models.wall import IMAGES_PER_POST
from exchanges.pure import images as image_rules
from exchanges.selectors.wall import (
    exchange_for_member,
    wall_image_for_viewer,
    wall_page_of,
    wall_pending_count,
    wall_post_for_viewer,
    wall_posts_page,
)
from exchanges.selectors.wall_export import wall_export_zip
from exchanges.services.wall import wall_comment_create, wall_post_create, wall_post_decide


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _member(request, exchange_id: int):
    found = exchange_for_member(exchange_id=exchange_id, user=request.user)
    if found is None:
        raise Http404("No such exchange.")
    return found


# Four images at the limit, the text and the multipart overhead.
MAX_POST_BYTES = IMAGES_PER_POST * image_rules.MAX_UPLOAD_BYTES + 256 * 1024


def _writable(exchange) -> bool:
    return exchange.status == exchange.Status.ACTIVE


def _render_wall(request, exchange, viewer, *, post_form=None, comment_form=None,
                 comment_on=None, unsent: str = "", status=200):
    """One page of the wall (``?page=``); a refused post or comment (``comment_on``: its
    post, whose page is shown) is shown again with its errors and the text as typed.
    ``unsent``: the text of a post or comment sent from a page opened before the
    exchange ended or paused, kept to copy."""
    number = request.GET.get("page")
    if comment_on is not None:
        number = wall_page_of(exchange=exchange, viewer=viewer, post=comment_on)
    page = wall_posts_page(exchange=exchange, viewer=viewer, number=number)
    context = {
        "exchange": exchange,
        "viewer": viewer,
        "page": page,
        "posts": page.object_list,
        "pending_count": wall_pending_count(exchange=exchange, viewer=viewer),
        "post_form": post_form or WallPostForm(),
        "comment_form": comment_form or WallCommentForm(),
        "comment_on": comment_on.pk if comment_on is not None else None,
        "writable": _writable(exchange),
        "unsent": unsent,
    }
    return render(request, "exchanges/wall/wall.html", context, status=status)


@login_required
@require_GET
def wall(request, exchange_id: int):
    exchange, viewer = _member(request, exchange_id)
    return _render_wall(request, exchange, viewer)


def _read_only(request, exchange, viewer):
    """Refused in words, not a bare 403: the page was opened while the exchange was
    active, and what was typed stays on it."""
    return _render_wall(request, exchange, viewer, unsent=request.POST.get("text", ""),
                        status=409)


@login_required
@require_POST
def wall_post(request, exchange_id: int):
    exchange, viewer = _member(request, exchange_id)
    if not _writable(exchange):
        return _read_only(request, exchange, viewer)
    if _declared_length(request) > MAX_POST_BYTES:
        # More than four images at the limit could hold: refused as a whole, before any
        # image is decoded. (The proxy in front should cap request bodies too: Django's
        # CSRF check has read the body by now.)
        form = WallPostForm(data={})
        form.is_valid()  # bound and cleaned, so that it takes the error
        form.add_error("images", _("The upload is too large: at most %(n)d images of %(mb)d MB.")
                       % {"n": IMAGES_PER_POST, "mb": image_rules.MAX_UPLOAD_BYTES // 1024 // 1024})
        return _render_wall(request, exchange, viewer, post_form=form, status=413)
    form = WallPostForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            post = wall_post_create(exchange=exchange, author=request.user,
                                    text=form.cleaned_data["text"],
                                    images=form.cleaned_data["images"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Posted.") if post.is_approved else
                             _("Sent to your teacher: your post appears once approved."))
            return redirect("wall", exchange_id=exchange.pk)
    return _render_wall(request, exchange, viewer, post_form=form, status=400)


@login_required
@require_POST
def wall_post_decision(request, exchange_id: int, post_id: int, decision: str):
    exchange, viewer = _member(request, exchange_id)
    post = wall_post_for_viewer(exchange=exchange, viewer=viewer, post_id=post_id)
    if post is None:
        raise Http404("No such post.")
    try:
        wall_post_decide(post=post, by=request.user, approve=decision == "approve")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Published.") if decision == "approve" else _("Not published."))
    return redirect("wall", exchange_id=exchange.pk)


@login_required
@require_POST
def wall_comment(request, exchange_id: int, post_id: int):
    exchange, viewer = _member(request, exchange_id)
    post = wall_post_for_viewer(exchange=exchange, viewer=viewer, post_id=post_id)
    if post is None:
        raise Http404("No such post.")
    if not _writable(exchange):
        return _read_only(request, exchange, viewer)
    form = WallCommentForm(request.POST)
    if form.is_valid():
        try:
            wall_comment_create(post=post, author=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            page = wall_page_of(exchange=exchange, viewer=viewer, post=post)
            return redirect(reverse("wall", args=[exchange.pk])
                            + (f"?page={page}" if page > 1 else "") + f"#post-{post.pk}")
    return _render_wall(request, exchange, viewer, comment_form=form, comment_on=post,
                        status=400)


@login_required
@require_GET
def wall_image(request, exchange_id: int, image_id: int):
    exchange, viewer = _member(request, exchange_id)
    image = wall_image_for_viewer(exchange=exchange, viewer=viewer, image_id=image_id)
    if image is None:
        raise Http404("No such image.")
    try:
        handle = default_storage.open(image.file.name, "rb")
    except FileNotFoundError:
        raise Http404("No such image.") from None
    response = FileResponse(handle, content_type=image.content_type)
    # Members only: no shared cache may keep it, and the browser keeps it briefly.
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_GET
def wall_export(request, exchange_id: int):
    exchange, viewer = _member(request, exchange_id)
    if not viewer.is_teacher:
        raise PermissionDenied("Only the teachers export the wall.")
    data = wall_export_zip(exchange=exchange)
    response = HttpResponse(data, content_type="application/zip")
    name = f"wall-exchange-{exchange.pk}-{dt.date.today():%Y%m%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
