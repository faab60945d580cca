"""The page icon: every page template links it, and /favicon.ico, which browsers ask for
when a page names none (an admin error page, a feed reader), leads to it instead of a 404."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static

from tests.factories import UserFactory

ICON = static("img/favicon.svg")
LINK = f'<link rel="icon" href="{ICON}" type="image/svg+xml">'


def test_the_icon_is_a_static_svg():
    path = finders.find("img/favicon.svg")
    assert path is not None
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 32 32"


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == ICON


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/transparency/"])
def test_pages_link_the_icon(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert LINK in response.content.decode()


@pytest.mark.django_db
def test_the_admin_links_the_icon(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert LINK in response.content.decode()


def test_the_error_page_links_the_icon_without_a_request():
    assert LINK in render_to_string("500.html")
