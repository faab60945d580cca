"""Check an uploaded image and re-encode it, so that what is stored and served is ours.

A phone photo carries EXIF metadata, often the GPS position where it was taken (a
child's home). The upload is decoded with Pillow, checked (format, bytes, pixels), turned
upright by its EXIF orientation, and encoded again from the pixels alone: no EXIF, no
XMP, no ICC profile, no comment, nothing appended after the image data. Only the
re-encoded bytes leave this module; the upload is never stored. No Django here.
"""

import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 48-megapixel phone photo is refused, a 12-megapixel one passes
MAX_SIDE = 2048  # stored images are scaled down to this longest side
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "PNG"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class ImageRefused(ValueError):
    """The upload is not an image we accept; the message says why, for the form."""


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


def _open(data: bytes) -> Image.Image:
    if not data:
        raise ImageRefused(_("The file is empty."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageRefused(
            _("The image is too large (%(size)d MB); at most %(max)d MB.")
            % {"size": len(data) // 1024 // 1024, "max": MAX_UPLOAD_BYTES // 1024 // 1024}
        )
    try:
        with warnings.catch_warnings():
            # Pillow warns, then raises, above its own limit: both are a refusal here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise ImageRefused(_("Send a JPEG, PNG, WebP or GIF image."))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageRefused(
                    _("The image has too many pixels (%(width)d×%(height)d); at most "
                      "%(max)d megapixels.")
                    % {"width": width, "height": height, "max": MAX_PIXELS // 1_000_000}
                )
            image.load()  # decode now: a truncated or corrupt file fails here
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refuses before the size can be read: the same refusal, without it.
        raise ImageRefused(
            _("The image has too many pixels; at most %(max)d megapixels.")
            % {"max": MAX_PIXELS // 1_000_000}
        ) from None
    except UnidentifiedImageError:
        raise ImageRefused(_("The file is not an image we can read.")) from None
    except (OSError, SyntaxError, ValueError):
        raise ImageRefused(_("The image is damaged and cannot be read.")) from None
    return image


def clean_image(data: bytes) -> CleanImage:
    """The upload re-encoded without metadata, or :class:`ImageRefused` saying why."""
    image = _open(data)
    source_format = image.format
    image = ImageOps.exif_transpose(image)  # keep it upright once the EXIF is gone
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    target = ACCEPTED_FORMATS[source_format]
    if target == "JPEG":
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    # A fresh image holds the pixels only: image.info (EXIF, XMP, ICC, comments) stays
    # behind with the upload.
    pixels = Image.new(image.mode, image.size)
    pixels.paste(image)
    out = io.BytesIO()
    options = {"quality": 85, "optimize": True} if target in ("JPEG", "WEBP") else {}
    pixels.save(out, format=target, **options)
    return CleanImage(
        data=out.getvalue(),
        content_type=CONTENT_TYPES[target],
        extension=EXTENSIONS[target],
        width=pixels.width,
        height=pixels.height,
    )
