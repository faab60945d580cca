"""The teacher's export of an exchange's wall: one zip with ``wall.json`` (posts, their
comments, who wrote them by display name and class) and the images, as stored."""

import io
import json
import zipfile

from django.core.files.storage import default_storage

from exchanges.models import ClassroomExchange
from exchanges.selectors.wall import wall_export_posts


def _author(user) -> dict:
    participant = getattr(user, "participant", None)
    classroom = participant.classroom if participant is not None else None
    return {"name": user.public_name, "class": str(classroom) if classroom else "teacher"}


def wall_export_data(*, exchange: ClassroomExchange) -> tuple[dict, list[tuple[str, str]]]:
    """The JSON document and the (storage name, name in the zip) of every image."""
    files = []
    posts = []
    for post in wall_export_posts(exchange=exchange):
        images = []
        for image in post.images.all():
            extension = image.file.name.rsplit(".", 1)[-1]
            inside = f"images/post-{post.pk}-{image.position + 1}.{extension}"
            files.append((image.file.name, inside))
            images.append(inside)
        posts.append({
            "id": post.pk,
            "author": _author(post.author),
            "text": post.text,
            "created_at": post.created_at.isoformat(),
            "images": images,
            "comments": [
                {"author": c.author.public_name, "text": c.text,
                 "created_at": c.created_at.isoformat()}
                for c in post.comments.all()
            ],
        })
    document = {"exchange": str(exchange), "exchange_id": exchange.pk, "posts": posts}
    return document, files


def wall_export_zip(*, exchange: ClassroomExchange) -> bytes:
    document, files = wall_export_data(exchange=exchange)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("wall.json", json.dumps(document, ensure_ascii=False, indent=2))
        for stored, inside in files:
            try:
                with default_storage.open(stored, "rb") as handle:
                    archive.writestr(inside, handle.read())
            except FileNotFoundError:
                continue  # a file lost from the storage: the post is still exported
    return out.getvalue()
