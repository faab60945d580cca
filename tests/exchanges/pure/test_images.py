"""Uploaded images are checked and re-encoded without their metadata."""

import io
import zlib

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from exchanges.pure import images
from exchanges.pure.images import ImageRefused, clean_image
from tests.exchanges.wall_fixtures import jpeg_with_gps


def test_a_jpeg_with_gps_exif_comes_back_without_any_exif():
    upload = jpeg_with_gps()
    assert Image.open(io.BytesIO(upload)).getexif().get_ifd(0x8825)  # the GPS is there

    cleaned = clean_image(upload)

    stored = Image.open(io.BytesIO(cleaned.data))
    assert stored.format == "JPEG"
    assert not stored.getexif()
    assert "exif" not in stored.info
    assert b"Exif" not in cleaned.data and b"Dresden" not in cleaned.data
    assert cleaned.content_type == "image/jpeg" and cleaned.extension == "jpg"


def test_the_exif_orientation_is_applied_before_it_is_dropped():
    cleaned = clean_image(jpeg_with_gps(size=(40, 20), orientation=6))  # rotated 90°
    assert (cleaned.width, cleaned.height) == (20, 40)


def test_a_large_photo_is_scaled_down_to_the_longest_side_limit():
    cleaned = clean_image(jpeg_with_gps(size=(3000, 1500)))
    assert (cleaned.width, cleaned.height) == (images.MAX_SIDE, images.MAX_SIDE // 2)


def test_a_png_keeps_its_transparency_and_loses_its_text_chunks():
    info = PngInfo()
    info.add_text("Comment", "home address")
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (255, 0, 0, 128)).save(out, format="PNG", pnginfo=info)
    cleaned = clean_image(out.getvalue())
    stored = Image.open(io.BytesIO(cleaned.data))
    assert stored.mode == "RGBA" and cleaned.content_type == "image/png"
    assert b"home address" not in cleaned.data


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 not an image", "not an image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not an image"),
    ],
)
def test_non_images_are_refused_with_a_reason(data, says):
    with pytest.raises(ImageRefused, match=says):
        clean_image(data)


def test_an_unaccepted_image_format_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="BMP")
    with pytest.raises(ImageRefused, match="JPEG, PNG, WebP or GIF"):
        clean_image(out.getvalue())


def test_a_truncated_jpeg_is_refused():
    with pytest.raises(ImageRefused, match="damaged"):
        clean_image(jpeg_with_gps(size=(200, 200))[:400])


def test_too_many_bytes_are_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(ImageRefused, match="too large"):
        clean_image(jpeg_with_gps())


def test_too_many_pixels_are_refused_before_decoding():
    out = io.BytesIO()
    Image.new("L", (8000, 6000)).save(out, format="PNG")  # 48 megapixels, small file
    with pytest.raises(ImageRefused, match="too many pixels"):
        clean_image(out.getvalue())


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares its size and holds no pixels: Pillow reads the size first."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (len(body).to_bytes(4, "big") + kind + body
                + zlib.crc32(kind + body).to_bytes(4, "big"))
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))


@pytest.mark.parametrize("side", [10_000, 20_000])  # Pillow warns, then raises
def test_a_decompression_bomb_is_refused_for_its_pixels_not_as_unreadable(side):
    with pytest.raises(ImageRefused, match="too many pixels; at most 40 megapixels"):
        clean_image(_png_header(side, side))
