"""The code a teacher hands out and pupils type has one name on every page that shows
it: "class code", the words on the pupils' cards and on /join/ (the teacher's class page
said "Join code", which French, German and Japanese translated as another thing)."""

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from tests.exchanges.classroom_fixtures import pupil
from tests.i18n.speaking import signed_in, translated

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_limits")]


def _text(response, status: int = 200) -> str:
    assert response.status_code == status
    return " ".join(strip_tags(response.content.decode()).split()).lower()


def test_the_teachers_pages_and_the_pupils_pages_all_say_class_code(client, coventry_class):
    pupil(coventry_class)
    client.force_login(coventry_class.teacher)
    pages = {
        "class page": client.get(reverse("classroom_detail", args=[coventry_class.pk])),
        "delete page": client.get(reverse("classroom_delete", args=[coventry_class.pk])),
        "login cards": client.post(reverse("pupils_add", args=[coventry_class.pk]),
                                   {"names": "Jonas M.\n"}),
    }
    client.logout()
    pages["join page"] = client.get(reverse("join"))
    pages["wrong code"] = client.post(reverse("join"), {
        "action": "join", "join-code": "ABCDEFGH", "join-display_name": "Lea W.",
        "join-password": "correct-horse-battery"})
    for name, response in pages.items():
        text = _text(response, 400 if name == "wrong code" else 200)
        assert "join code" not in text, name
        assert "class code" in text, name


@pytest.mark.parametrize("language", ["fr", "de", "ja"])
def test_the_class_page_heads_the_code_as_the_pupils_cards_name_it(coventry_class, language):
    client = signed_in(coventry_class.teacher, language)
    page = client.get(reverse("classroom_detail", args=[coventry_class.pk])).content.decode()
    cards = client.post(reverse("pupils_add", args=[coventry_class.pk]),
                        {"names": "Amelia K.\n"}).content.decode()
    name = translated(language, "Class code")
    assert f"<dt>{name}</dt>" in cards
    assert f"<h2>{name}</h2>" in page
    assert translated(language, "Join code") not in page
