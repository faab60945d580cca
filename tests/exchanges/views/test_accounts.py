"""Sign-up → e-mail verification → onboarding, through Django's test client."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from exchanges.models import City, Interest, Participant, Twinning, User
from tests.factories import ParticipantFactory, TwinningFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def twinning():
    return TwinningFactory(
        city_a__name="Coventry", city_b__name="Dresden", status=Twinning.Status.ACTIVE
    )


def signup(client, **overrides):
    data = {
        "email": "newcomer@example.test",
        "password1": "a-long-and-unusual-passphrase",
        "password2": "a-long-and-unusual-passphrase",
        "display_name": "Nia",
        "birth_year": 1999,
        **overrides,
    }
    return client.post(reverse("account_signup"), data)


def confirmation_link() -> str:
    body = mail.outbox[-1].body
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", body).group(1)


def onboarding_data(city_obj: City, **overrides) -> dict:
    data = {
        "city": city_obj.pk,
        "birth_year": 1999,
        "capacity": 1,
        "interests": "hiking, jazz",
        "bio": "Hello!",
        "lang-TOTAL_FORMS": 2, "lang-INITIAL_FORMS": 0,
        "lang-MIN_NUM_FORMS": 0, "lang-MAX_NUM_FORMS": 12,
        "lang-0-code": "en", "lang-0-level": "native", "lang-0-learning": "0",
        "lang-1-code": "de", "lang-1-level": "B1", "lang-1-learning": "1",
        "win-TOTAL_FORMS": 1, "win-INITIAL_FORMS": 0,
        "win-MIN_NUM_FORMS": 0, "win-MAX_NUM_FORMS": 21,
        "win-0-weekday": 0, "win-0-start": "18:00", "win-0-end": "20:00",
    }
    data.update(overrides)
    return data


def test_signup_verify_and_onboard(client, twinning):
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="newcomer@example.test")
    assert user.display_name == "Nia"
    assert Participant.objects.get(user=user).birth_year == 1999
    # Verification is mandatory: not logged in before confirming.
    assert client.get(reverse("dashboard")).status_code == 302
    assert "confirm" in mail.outbox[-1].subject.lower()
    assert mail.outbox[-1].subject.startswith("[Jumelage] ")

    link = confirmation_link()
    assert client.get(link).status_code == 200
    response = client.post(link, follow=True)
    assert response.redirect_chain[-1][0] == reverse("onboarding")

    page = client.get(reverse("onboarding"))
    assert page.status_code == 200
    assert "Coventry" in page.content.decode()
    response = client.post(reverse("onboarding"), onboarding_data(twinning.city_a))
    assert response.status_code == 302, response.content.decode()[:2000]
    participant = Participant.objects.get(user=user)
    assert participant.onboarded_at is not None
    assert participant.city == twinning.city_a
    assert participant.tz == "Europe/London"
    assert set(participant.languages.values_list("code", "level", "learning")) == {
        ("en", "native", False), ("de", "B1", True)
    }
    assert set(participant.interests.values_list("name", flat=True)) == {"hiking", "jazz"}
    window = participant.availability.get()
    assert (window.weekday, f"{window.start:%H:%M}", f"{window.end:%H:%M}") == (0, "18:00", "20:00")
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "100% complete" in dashboard


def test_a_ten_thousand_character_first_name_is_refused(client, twinning):
    response = signup(client, display_name="N" * 10_000)
    assert response.status_code == 200
    assert "at most 40 characters" in response.content.decode()
    assert not User.objects.filter(email="newcomer@example.test").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("\u200b", "Enter a name with visible letters."),
        ("\u200b\u200b \ufeff", "Enter a name with visible letters."),
        ("\u202eaiN", "invisible character (U+202E)"),
        ("Ni\u200ba", "invisible character (U+200B)"),
    ],
)
def test_a_first_name_that_shows_nothing_or_shows_reversed_is_refused(
    client, twinning, name, message
):
    response = signup(client, display_name=name)
    assert response.status_code == 200
    assert message in response.context["form"].errors["display_name"][0]
    assert not User.objects.filter(email="newcomer@example.test").exists()


@pytest.mark.parametrize("name", ["さくら", "محمد", "דנה", "अमेलिया", "علی\u200cرضا"])
def test_a_first_name_in_another_script_is_kept_as_typed(client, twinning, name):
    response = signup(client, display_name=name)
    assert response.status_code == 302
    assert User.objects.get(email="newcomer@example.test").display_name == name


def test_minors_cannot_register_and_are_told_how_to_join(client, twinning):
    page = client.get(reverse("account_signup")).content.decode()
    assert "teacher" in page and "18" in page
    response = signup(client, birth_year=2014)
    assert response.status_code == 200
    assert not User.objects.filter(email="newcomer@example.test").exists()
    errors = response.context["form"].errors
    assert "birth_year" in errors
    assert "class" in errors["birth_year"][0]


@pytest.fixture
def logged_in(client, twinning):
    user = User.objects.create_user("ready@example.test", "pw-ready-123456", display_name="Ready")
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"lang-1-level": "native"}, "level", "cannot be native"),
        ({"win-0-end": "17:00"}, "end", "must end after it starts"),
        ({"birth_year": 2015}, "birth_year", "18"),
        ({"city": 999999}, "city", "valid choice"),
    ],
)
def test_onboarding_errors_are_shown_next_to_their_field(client, logged_in, twinning,
                                                           overrides, field, message):
    response = client.post(reverse("onboarding"), onboarding_data(twinning.city_a, **overrides))
    assert response.status_code == 400
    html = response.content.decode()
    # The error paragraph sits inside the field's own wrapper.
    block = re.search(
        r'<div class="field has-error">\s*<label for="id_[^"]*' + field + r'".*?</div>', html, re.S
    )
    assert block, f"no error block for {field}"
    assert message in block.group(0)
    # Not onboarded; and no half-made profile row either (the first save is all or nothing).
    assert not Participant.objects.filter(user=logged_in).exists()


def test_only_cities_with_an_active_twinning_are_offered(client, logged_in, twinning):
    TwinningFactory(city_a__name="Osaka", city_b__name="San Francisco",
                    status=Twinning.Status.TERMINATED)
    html = client.get(reverse("onboarding")).content.decode()
    assert "Coventry" in html
    assert "Osaka" not in html
    osaka = City.objects.get(name="Osaka")
    response = client.post(reverse("onboarding"), onboarding_data(osaka))
    assert response.status_code == 400
    assert "valid choice" in response.content.decode()


def test_language_spoken_and_learnt_at_once_is_refused(client, logged_in, twinning):
    response = client.post(
        reverse("onboarding"),
        onboarding_data(twinning.city_a, **{"lang-1-code": "en", "lang-1-level": "B1"}),
    )
    assert response.status_code == 400
    # The language by its name in the reader's language, not its ISO code ("en: …").
    assert "English: either you speak it or you learn it" in response.content.decode()
    french = client.post(
        reverse("onboarding"),
        onboarding_data(twinning.city_a, **{"lang-1-code": "en", "lang-1-level": "B1"}),
        headers={"accept-language": "fr"},
    )
    assert "Anglais" in french.context["form"].non_field_errors()[0]


def test_profile_page_shows_and_edits_everything(client, logged_in, twinning):
    client.post(reverse("onboarding"), onboarding_data(twinning.city_a))
    page = client.get(reverse("profile")).content.decode()
    # Saved interests come back as ticked boxes among the ones people pick most.
    assert re.search(r'<input[^>]*value="hiking"[^>]*checked', page)
    assert "Europe/London" in page
    data = onboarding_data(twinning.city_b, capacity=2, interests="chess")
    response = client.post(reverse("profile"), data)
    assert response.status_code == 302
    participant = Participant.objects.get(user=logged_in)
    assert participant.city == twinning.city_b
    assert participant.tz == "Europe/Berlin"
    assert participant.capacity == 2
    assert list(participant.interests.values_list("name", flat=True)) == ["chess"]


def _as_the_browser_submits(context) -> dict:
    """The saved profile's form as a browser posts it back unchanged: every row, and the
    blank extra row with its selects on their first option."""
    data = {"city": context["form"].initial["city"], "birth_year": 1999, "capacity": 1,
            "interests": context["form"].initial["interests"], "bio": "Edited bio only"}
    for formset, blank in ((context["languages"], {"code": "", "level": "A1", "learning": "0"}),
                           (context["windows"], {"weekday": "0", "start": "", "end": ""})):
        prefix = formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": len(formset.forms),
                     f"{prefix}-INITIAL_FORMS": formset.initial_form_count(),
                     f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 21})
        for i, form in enumerate(formset.forms):
            values = form.initial or blank
            for name, value in values.items():
                data[f"{prefix}-{i}-{name}"] = value.strftime("%H:%M") if hasattr(
                    value, "strftime") else value
    return data


def test_saving_the_profile_unchanged_ignores_the_blank_rows(client, logged_in, twinning):
    client.post(reverse("onboarding"), onboarding_data(twinning.city_a))
    page = client.get(reverse("profile"))
    assert len(page.context["languages"].forms) == 3  # two saved rows and one blank
    response = client.post(reverse("profile"), _as_the_browser_submits(page.context))
    assert response.status_code == 302, response.context["form"].errors
    participant = Participant.objects.get(user=logged_in)
    assert participant.bio == "Edited bio only"
    assert participant.languages.count() == 2 and participant.availability.count() == 1


def test_password_reset_sends_a_link(client, logged_in):
    client.logout()
    response = client.post(reverse("account_reset_password"), {"email": "ready@example.test"})
    assert response.status_code == 302
    assert "password" in mail.outbox[-1].subject.lower()
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body


def test_home_lists_twinnings_with_status_marks(client):
    TwinningFactory(city_a__name="Durham", city_b__name="Kostroma",
                    status=Twinning.Status.SUSPENDED)
    TwinningFactory(city_a__name="Prague", city_b__name="Beijing",
                    status=Twinning.Status.TERMINATED)
    html = client.get(reverse("home")).content.decode()
    assert re.search(r'<tr class="status-suspended">\s*<td>Durham', html)
    assert re.search(r'<tr class="status-terminated">\s*<td>Prague', html)
    assert 'class="status status-terminated">Terminated' in html


def test_a_profile_learning_nothing_is_saved_and_told_what_that_means(client, logged_in, twinning):
    data = onboarding_data(twinning.city_a, **{"lang-TOTAL_FORMS": 1})
    del data["lang-1-code"], data["lang-1-level"], data["lang-1-learning"]
    response = client.post(reverse("onboarding"), data, follow=True)
    html = response.content.decode()
    assert Participant.objects.get(user=logged_in).onboarded_at is not None
    assert "language tandems cannot pair you" in html
    data = onboarding_data(twinning.city_a)
    html = client.post(reverse("profile"), data, follow=True).content.decode()
    assert "language tandems cannot pair you" not in html


def test_interests_are_picked_from_a_list_with_free_additions(client, logged_in, twinning):
    for name in ("cooking", "hiking", "football"):
        ParticipantFactory().interests.add(Interest.objects.get_or_create(
            slug=name, defaults={"name": name})[0])
    page = client.get(reverse("onboarding")).content.decode()
    assert re.search(r'<input type="checkbox" name="interests_picked" value="cooking"', page)
    data = onboarding_data(twinning.city_a, interests="birdwatching",
                           interests_picked=["cooking", "hiking"])
    assert client.post(reverse("onboarding"), data).status_code == 302
    participant = Participant.objects.get(user=logged_in)
    assert set(participant.interests.values_list("name", flat=True)) == {
        "cooking", "hiking", "birdwatching"
    }
    page = client.get(reverse("profile")).content.decode()
    assert re.search(r'<input[^>]*value="cooking"[^>]*checked', page)
    assert 'value="birdwatching"' in page  # the free addition stays in the text field
    data = onboarding_data(twinning.city_a, interests="", interests_picked=["not-offered"])
    response = client.post(reverse("profile"), data)
    assert response.status_code == 400 and "not one of the available choices" in (
        response.content.decode())


def test_the_boxes_offer_the_platforms_list_in_the_readers_words_never_others_text(
    client, logged_in, twinning
):
    # What other people typed is their own, unreviewed text: it was offered to everyone.
    ParticipantFactory().interests.add(
        Interest.objects.create(slug="buy-cheap-followers", name="buy cheap followers"))
    logged_in.language = "de"
    logged_in.save(update_fields=["language"])
    page = client.get(reverse("onboarding")).content.decode()
    assert "buy cheap followers" not in page
    assert re.search(r'value="hiking"[^>]*>\s*Wandern', page)
    data = onboarding_data(twinning.city_a, interests="", interests_picked=["hiking"])
    assert client.post(reverse("onboarding"), data).status_code == 302
    assert list(Participant.objects.get(user=logged_in).interests.values_list(
        "name", flat=True)) == ["hiking"]  # one stored name in every language


def test_an_address_longer_than_the_columns_is_refused_in_words(client, twinning):
    # 254 characters is what the user and e-mail address columns hold: a longer address
    # was truncated on the user row (another address), stored whole beside it, and its
    # second sign-up met the unique column (a 500; PostgreSQL refused the first).
    address = "a" * 250 + "@example.test"
    for _attempt in range(2):
        response = signup(client, email=address)
        assert response.status_code == 200
        assert "at most 254 characters" in response.context["form"].errors["email"][0]
    assert not User.objects.filter(email__startswith="aaaa").exists()


def test_a_longer_address_is_refused_on_the_email_page_too(client):
    from allauth.account.models import EmailAddress

    person = ParticipantFactory().user
    client.force_login(person)
    response = client.post(
        "/accounts/email/", {"action_add": "", "email": "b" * 250 + "@example.test"}
    )
    assert response.status_code == 200
    assert "at most 254 characters" in response.context["form"].errors["email"][0]
    assert not EmailAddress.objects.filter(email__startswith="bbbb").exists()


@pytest.mark.parametrize("typed_first", ["Hiking!! 🤬", "#hiking"])
def test_a_ticked_box_is_the_platforms_word_whatever_someone_typed_first(
    client, logged_in, twinning, typed_first
):
    # Someone else typed a variant of an offered interest first (it shares its slug):
    # their text must not become the name of the box the next person ticks.
    stranger = ParticipantFactory(city=twinning.city_b)
    data = onboarding_data(twinning.city_b, interests=typed_first)
    client.force_login(stranger.user)
    assert client.post(reverse("profile"), data).status_code == 302
    client.force_login(logged_in)
    data = onboarding_data(twinning.city_a, interests="", interests_picked=["hiking"])
    assert client.post(reverse("onboarding"), data).status_code == 302
    mine = Participant.objects.get(user=logged_in)
    assert list(mine.interests.values_list("name", flat=True)) == ["hiking"]
    page = client.get(reverse("profile")).content.decode()
    assert re.search(r'<input[^>]*value="hiking"[^>]*checked', page)
    assert typed_first not in page and "🤬" not in page


def test_a_box_ticked_takes_back_its_word_from_a_variant_stored_before(
    client, logged_in, twinning
):
    # A row stored under an offered interest's slug with another's punctuation (as
    # profiles saved it before) is named the platform's word again once the box is ticked.
    ParticipantFactory().interests.add(Interest.objects.create(slug="hiking", name="hiking!! 🤬"))
    data = onboarding_data(twinning.city_a, interests="", interests_picked=["hiking"])
    assert client.post(reverse("onboarding"), data).status_code == 302
    assert list(Interest.objects.values_list("slug", "name")) == [("hiking", "hiking")]
