"""The walls' images live on a volume that the web server (which writes them) and the
worker (whose retention task deletes them) share, owned by the app's user."""

from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
MEDIA = "/var/lib/jumelage/media"


def test_web_and_worker_share_the_media_volume():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name in ("web", "worker"):
        assert f"media-data:{MEDIA}" in compose["services"][name]["volumes"], name
    assert "media-data" in compose["volumes"]


def test_the_image_creates_the_media_folder_for_its_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "JUMELAGE_VAR_DIR=/var/lib/jumelage" in dockerfile  # MEDIA_ROOT = VAR_DIR/media
    assert f"mkdir -p {MEDIA}" in dockerfile
    assert "chown -R jumelage /var/lib/jumelage" in dockerfile
