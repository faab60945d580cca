"""The partner finder and partner requests through the client: the finder's
explanations (live and asynchronous), requests, replies and acceptance, and who may ask
and answer."""


import pytest
from django.urls import reverse

from exchanges.models import ClassroomExchange, PartnerRequest, Room, Twinning
from tests.exchanges.classroom_fixtures import classroom, partner_pair, teacher
from tests.factories import CityFactory, TwinningFactory

pytestmark = pytest.mark.django_db


def test_the_finder_explains_a_live_partner_and_suggests_async_where_no_hour_is_shared(client):
    a, b, _ = partner_pair()
    nerima_city = CityFactory(name="Nerima", country="JP", tz="Asia/Tokyo", languages=["ja"])
    TwinningFactory(city_a=a.city, city_b=nerima_city)
    nerima = classroom(teacher_user=teacher(), city=nerima_city, speaks="ja", learns="en",
                       name="6-1", hours=[(d, "08:30", "15:30") for d in range(5)])
    suspended_city = CityFactory(name="Caen", country="FR", tz="Europe/Paris")
    TwinningFactory(city_a=a.city, city_b=suspended_city, status="suspended")
    hidden = classroom(teacher_user=teacher(), city=suspended_city, speaks="fr", learns="en",
                       name="Hidden 5e")
    client.force_login(a.teacher)
    page = client.get(reverse("partner_finder", args=[a.pk])).content.decode()
    assert f'id="suggestion-{b.pk}"' in page and f'id="suggestion-{nerima.pk}"' in page
    assert hidden.name not in page
    assert ("2 h 30 of shared school time a week, Tue and Thu 14:00–15:15 in Coventry = "
            "15:00–16:15 in Dresden") in page
    assert "Coventry and Nerima share no school hour" in page
    assert "asynchronous exchange" in page
    assert page.index(f"suggestion-{b.pk}") < page.index(f"suggestion-{nerima.pk}")


def test_request_then_accept_through_the_pages_opens_the_class_room(client):
    a, b, _ = partner_pair()
    client.force_login(a.teacher)
    client.post(reverse("partner_request", args=[a.pk, b.pk]), {"message": "Hello!"})
    request = PartnerRequest.objects.get(from_classroom=a, to_classroom=b)
    client.force_login(b.teacher)
    home = client.get(reverse("classes")).content.decode()
    assert f'id="request-{request.pk}"' in home and "Hello!" in home
    client.post(reverse("partner_request_accept", args=[request.pk]), {"reply": "Yes!"})
    exchange = ClassroomExchange.objects.get(classroom_a=a, classroom_b=b)
    room = Room.objects.get(exchange=exchange)
    home = client.get(reverse("classes")).content.decode()
    assert reverse("room_detail", args=[room.pk]) in home


def test_an_over_long_request_message_is_refused_on_the_finder_with_the_text_kept(client):
    a, b, _ = partner_pair()
    client.force_login(a.teacher)
    typed = "Hallo! " * 150  # 1050 characters
    response = client.post(reverse("partner_request", args=[a.pk, b.pk]), {"message": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 1000 characters" in page and "Request sent" not in page
    assert f'value="{typed}"' in page
    assert not PartnerRequest.objects.exists()


@pytest.mark.parametrize("answer", ["partner_request_accept", "partner_request_decline"])
def test_an_over_long_reply_is_refused_on_the_home_page_with_the_text_kept(client, answer):
    a, b, _ = partner_pair()
    client.force_login(a.teacher)
    client.post(reverse("partner_request", args=[a.pk, b.pk]), {"message": "Hello!"})
    request = PartnerRequest.objects.get()
    client.force_login(b.teacher)
    typed = "Danke! " * 150
    response = client.post(reverse(answer, args=[request.pk]), {"reply": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 1000 characters" in page and "the other teacher is told" not in page
    assert f'value="{typed}"' in page
    request.refresh_from_db()
    assert request.is_pending and not ClassroomExchange.objects.exists()


def test_the_asking_teacher_reads_the_accept_reply_on_their_home_page(client):
    a, b, _ = partner_pair()
    client.force_login(a.teacher)
    client.post(reverse("partner_request", args=[a.pk, b.pk]), {"message": "Hello!"})
    request = PartnerRequest.objects.get()
    client.force_login(b.teacher)
    client.post(reverse("partner_request_accept", args=[request.pk]), {"reply": "Gern!"})
    client.force_login(a.teacher)
    page = client.get(reverse("classes")).content.decode()
    assert f'id="answer-{request.pk}"' in page and "Gern!" in page


def test_only_the_asked_teacher_answers_a_request(client):
    a, b, _ = partner_pair()
    client.force_login(a.teacher)
    client.post(reverse("partner_request", args=[a.pk, b.pk]))
    request = PartnerRequest.objects.get()
    # The asker may not accept their own request; a stranger does not even see it.
    client.post(reverse("partner_request_accept", args=[request.pk]))
    client.force_login(teacher())
    assert client.post(reverse("partner_request_accept", args=[request.pk])).status_code == 404
    assert client.post(reverse("partner_request_decline", args=[request.pk])).status_code == 404
    request.refresh_from_db()
    assert request.is_pending and not ClassroomExchange.objects.exists()


def test_an_unapproved_teacher_cannot_request_partners(client):
    a, b, _ = partner_pair()
    a.teacher.groups.clear()
    client.force_login(a.teacher)
    response = client.post(reverse("partner_request", args=[a.pk, b.pk]), follow=True)
    assert "must be approved" in response.content.decode()
    assert not PartnerRequest.objects.exists()


def test_a_teacher_cannot_ask_a_class_outside_the_twinned_cities(client):
    a, _, _ = partner_pair()
    stranger_city = CityFactory(name="Lyon", country="FR", tz="Europe/Paris")
    TwinningFactory(city_a=stranger_city, city_b=CityFactory(name="Turin", country="IT",
                                                             tz="Europe/Rome"))
    far = classroom(teacher_user=teacher(), city=stranger_city, speaks="fr", learns="en")
    client.force_login(a.teacher)
    assert client.post(reverse("partner_request", args=[a.pk, far.pk])).status_code == 404
    assert not PartnerRequest.objects.exists()


def test_asking_from_a_finder_opened_before_the_twinning_was_suspended_says_why(client):
    a, b, twinning = partner_pair()
    client.force_login(a.teacher)
    finder = client.get(reverse("partner_finder", args=[a.pk])).content.decode()
    assert f"suggestion-{b.pk}" in finder
    twinning.status = Twinning.Status.SUSPENDED
    twinning.save(update_fields=["status"])
    response = client.post(reverse("partner_request", args=[a.pk, b.pk]), {"message": "Hello!"})
    assert response.status_code == 404  # as for a class that never was: ids cannot be probed
    page = response.content.decode()
    assert "can no longer be asked" in page and f"suggestion-{b.pk}" not in page
    assert not PartnerRequest.objects.exists()


def test_the_request_and_reply_messages_are_full_fields_with_their_own_labels(client):
    """A message of up to 1000 characters gets a field of the page's width with a label
    tied to it (not a bare input of 20 characters beside the buttons, which a phone
    shrinks to a sliver), and the reply says whom it goes to."""
    a, b, _ = partner_pair()
    client.force_login(a.teacher)
    finder = client.get(reverse("partner_finder", args=[a.pk])).content.decode()
    row = finder[finder.index(f'id="suggestion-{b.pk}"'):]
    assert f'<div class="field"><label for="message-{b.pk}">' in row
    assert f'id="message-{b.pk}"' in row
    client.post(reverse("partner_request", args=[a.pk, b.pk]), {"message": "Hello!"})
    request = PartnerRequest.objects.get()
    client.force_login(b.teacher)
    home = client.get(reverse("classes")).content.decode()
    item = home[home.index(f'id="request-{request.pk}"'):]
    assert f'<div class="field"><label for="reply-{request.pk}">' in item
    assert f'id="reply-{request.pk}"' in item
    assert "Your reply to their teacher (optional)" in item


def test_a_class_that_declined_is_not_asked_again_by_the_same_class(client):
    """A decline is an answer: the finder says "declined" instead of offering to ask
    again, and a request sent anyway is refused, so that a teacher is not asked over and
    over. The class that declined may still ask back."""
    a, b, _ = partner_pair()
    client.force_login(a.teacher)
    client.post(reverse("partner_request", args=[a.pk, b.pk]), {"message": "Hello!"})
    client.force_login(b.teacher)
    client.post(reverse("partner_request_decline", args=[PartnerRequest.objects.get().pk]),
                {"reply": "Not this term."})
    client.force_login(a.teacher)
    finder = client.get(reverse("partner_finder", args=[a.pk])).content.decode()
    row = finder[finder.index(f'id="suggestion-{b.pk}"'):]
    row = row[:row.index("</li>")]
    assert "declined" in row and 'name="message"' not in row
    response = client.post(reverse("partner_request", args=[a.pk, b.pk]), {"message": "Again?"})
    assert response.status_code == 400
    assert "This class declined your request" in response.content.decode()
    assert PartnerRequest.objects.count() == 1
    client.force_login(b.teacher)
    client.post(reverse("partner_request", args=[b.pk, a.pk]), {"message": "After all?"})
    assert PartnerRequest.objects.filter(from_classroom=b, status="pending").exists()


def test_the_finder_names_each_class_country_in_the_pages_language(client):
    a, b, _ = partner_pair()  # b is in Dresden
    a.teacher.language = "fr"
    a.teacher.save(update_fields=["language"])
    client.force_login(a.teacher)
    finder = client.get(reverse("partner_finder", args=[a.pk])).content.decode()
    row = finder[finder.index(f'id="suggestion-{b.pk}"'):]
    row = row[:row.index("</li>")]
    assert "(Allemagne)" in row and "(DE)" not in row


def test_declining_a_request_asks_first_and_accepting_does_not(client):
    """Declining stops the asking class from asking again: its button asks first
    (data-confirm, static/js/confirm.js), naming the class; Accept, in the same form
    for the shared reply, does not."""
    a, b, _ = partner_pair()
    client.force_login(a.teacher)
    client.post(reverse("partner_request", args=[a.pk, b.pk]), {"message": "Hello!"})
    request = PartnerRequest.objects.get()
    client.force_login(b.teacher)
    home = client.get(reverse("classes")).content.decode()
    item = home[home.index(f'id="request-{request.pk}"'):]
    item = item[:item.index("</li>")]
    action = reverse("partner_request_decline", args=[request.pk])
    decline = item[item.index(f'formaction="{action}"'):]
    decline = decline[:decline.index(">")]
    assert (f'data-confirm="Decline the request from {a.name} ({a.city.name})? Its teacher '
            "is told, and that class cannot ask yours again.\"") in decline
    assert item.count("data-confirm=") == 1  # the Decline button's, not the form's
