"""The teacher's pages through the client: home with its sections, creating a class
(formsets and consent), terms, exchanges on the home page and join codes; the partner
finder and requests are in test_partner_requests_pages.py."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from exchanges.models import Classroom, ClassroomExchange, Session
from exchanges.services.class_exchange_end import class_exchange_end
from exchanges.services.twinning_lifecycle import twinning_suspend
from tests.exchanges.class_exchange_fixtures import active_exchange
from tests.exchanges.classroom_fixtures import partner_pair, teacher, twin_cities
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def class_form(city, **overrides):
    today = timezone.localdate()
    data = {
        "name": "7B German", "school": "Coventry Academy", "city": city.pk,
        "age_min": 11, "age_max": 12, "size": 24,
        "term_start": today.isoformat(), "term_end": (today + dt.timedelta(days=80)).isoformat(),
        "consent": "on",
        "lang-TOTAL_FORMS": 2, "lang-INITIAL_FORMS": 0, "lang-MIN_NUM_FORMS": 0,
        "lang-MAX_NUM_FORMS": 8,
        "lang-0-code": "en", "lang-0-level": "native", "lang-0-learning": "0",
        "lang-1-code": "de", "lang-1-level": "A2", "lang-1-learning": "1",
        "win-TOTAL_FORMS": 1, "win-INITIAL_FORMS": 0, "win-MIN_NUM_FORMS": 0,
        "win-MAX_NUM_FORMS": 21,
        "win-0-weekday": 1, "win-0-start": "13:00", "win-0-end": "15:15",
        "hol-TOTAL_FORMS": 1, "hol-INITIAL_FORMS": 0, "hol-MIN_NUM_FORMS": 0,
        "hol-MAX_NUM_FORMS": 20,
        "hol-0-first_day": "", "hol-0-last_day": "", "hol-0-name": "",
    }
    data.update(overrides)
    return data


def test_the_staff_dashboard_links_teachers_to_their_classes(client):
    client.force_login(teacher())
    page = client.get(reverse("dashboard")).content.decode()
    assert "being built" not in page
    assert reverse("classes") in page


def test_the_home_page_shows_every_section_with_clear_empty_states(client):
    client.force_login(teacher())
    page = client.get(reverse("classes")).content.decode()
    for section in ("classes", "requests-received", "exchanges", "upcoming-class-sessions",
                    "pupil-reports"):
        assert f'id="{section}"' in page
    assert "No class yet." in page and "No open report." in page


def test_creating_a_class_through_the_form_records_the_consent(client):
    coventry, _, _ = twin_cities()
    author = teacher()
    client.force_login(author)
    page = client.get(reverse("classroom_create")).content.decode()
    assert "COPPA" in page and "<td>United Kingdom</td><td>13</td>" in page
    # Each city option names its country; static/js/classroom.js shows that country's age.
    assert f'data-country="GB" value="{coventry.pk}"' in page or (
        f'value="{coventry.pk}" data-country="GB"' in page
    )
    assert "js/classroom.js" in page
    response = client.post(reverse("classroom_create"), class_form(coventry))
    created = Classroom.objects.get(teacher=author)
    assert response["Location"] == reverse("classroom_detail", args=[created.pk])
    assert created.consent_confirmed_by == author and created.hours.count() == 1
    detail = client.get(response["Location"]).content.decode()
    assert created.join_code in detail and "confirmed by" in detail


def test_without_consent_the_form_says_which_age_applies(client):
    _, dresden, _ = twin_cities()
    client.force_login(teacher())
    response = client.post(reverse("classroom_create"), class_form(dresden, consent=""))
    assert response.status_code == 400
    assert "Pupils under 16 need their parents&#x27; consent" in response.content.decode()
    assert not Classroom.objects.exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [("\u200b", "Enter a name with visible letters."),
     ("7B \u202enamreG", "invisible character (U+202E)")],
)
def test_a_class_name_that_shows_nothing_or_reversed_is_refused_on_the_form(
    client, name, message
):
    coventry, _, _ = twin_cities()
    client.force_login(teacher())
    response = client.post(reverse("classroom_create"), class_form(coventry, name=name))
    assert response.status_code == 400
    assert message in response.context["form"].errors["name"][0]
    assert not Classroom.objects.exists()


def test_a_class_name_in_japanese_is_accepted_through_the_form(client):
    coventry, _, _ = twin_cities()
    client.force_login(teacher())
    response = client.post(reverse("classroom_create"), class_form(coventry, name="7年B組"))
    assert response.status_code == 302
    assert Classroom.objects.get().name == "7年B組"


def test_a_uk_sixth_form_class_saves_without_the_consent_box(client):
    coventry, _, _ = twin_cities()
    author = teacher()
    client.force_login(author)
    response = client.post(reverse("classroom_create"),
                           class_form(coventry, age_min=16, age_max=18, consent=""))
    created = Classroom.objects.get(teacher=author)
    assert response["Location"] == reverse("classroom_detail", args=[created.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "not needed, the pupils are at or above the consent age" in detail


def test_a_new_class_for_a_past_term_is_refused_with_the_reason(client):
    coventry, _, _ = twin_cities()
    client.force_login(teacher())
    response = client.post(reverse("classroom_create"), class_form(
        coventry, term_start="2020-01-01", term_end="2020-03-01"))
    assert response.status_code == 400
    assert "This term ended on" in response.content.decode()
    assert not Classroom.objects.exists()


def test_a_term_at_the_end_of_time_is_refused_and_the_partners_finder_stays_up(client):
    a, b, _ = partner_pair()
    client.force_login(b.teacher)
    response = client.post(reverse("classroom_edit", args=[b.pk]), class_form(
        b.city, term_start="9999-12-20", term_end="9999-12-31"))
    assert response.status_code == 400  # the form again, with the error on the term
    assert "Choose term days from" in response.content.decode()
    b.refresh_from_db()
    assert b.term_end < dt.date(9999, 1, 1)
    client.force_login(a.teacher)
    assert client.get(reverse("partner_finder", args=[a.pk])).status_code == 200


def test_the_term_inputs_offer_the_days_allowed(client):
    client.force_login(teacher())
    page = client.get(reverse("classroom_create")).content.decode()
    latest = dt.date(timezone.localdate().year + 10, 12, 31).isoformat()
    for name in ("term_start", "term_end"):
        tag = page[page.index(f'name="{name}"'):]
        tag = tag[:tag.index(">")]
        assert 'min="2000-01-01"' in tag and f'max="{latest}"' in tag


def _exchange_links(exchange) -> list[str]:
    return [reverse(name, args=[exchange.pk])
            for name in ("wall", "wall_export", "pupil_pairing", "class_sessions")]


def test_a_paused_exchange_stays_on_the_home_page_with_its_reason_and_links(client):
    exchange, _, _ = active_exchange(2, 2)
    twinning = exchange.twinning
    twinning_suspend(twinning=twinning, by=UserFactory(is_superuser=True),
                     reason="Council vote", effective=timezone.localdate())
    client.force_login(exchange.classroom_a.teacher)
    page = client.get(reverse("classes")).content.decode()
    item = page[page.index(f'id="exchange-{exchange.pk}"'):]
    item = item[:item.index("</li>")]
    assert "Paused" in item and f"the twinning {twinning} is suspended since" in item
    for url in _exchange_links(exchange):
        assert url in item
    assert reverse("class_exchange_end", args=[exchange.pk]) in item
    assert "No exchange yet" not in page


def test_an_ended_exchange_shows_until_its_pupils_data_is_deleted(client, settings):
    settings.JUMELAGE_PUPIL_RETENTION_DAYS = 90
    recent, _, _ = active_exchange(1, 1)
    class_exchange_end(exchange=recent, by=recent.classroom_a.teacher,
                       now=timezone.now() - dt.timedelta(days=10))
    recent.refresh_from_db()
    client.force_login(recent.classroom_b.teacher)
    page = client.get(reverse("classes")).content.decode()
    item = page[page.index(f'id="exchange-{recent.pk}"'):]
    item = item[:item.index("</li>")]
    # The day on the teacher's class's calendar (Dresden's), whatever the hour in UTC.
    deletion = (recent.ended_at + dt.timedelta(days=90)).astimezone(
        ZoneInfo(recent.classroom_b.city.tz)).date()
    assert "Ended" in item and f"ended by {recent.classroom_a.teacher.public_name}" in item
    assert f"deleted on {date_format(deletion, 'DATE_FORMAT')}" in item
    assert reverse("wall_export", args=[recent.pk]) in item
    assert reverse("class_exchange_end", args=[recent.pk]) not in item

    ClassroomExchange.objects.filter(pk=recent.pk).update(
        ended_at=timezone.now() - dt.timedelta(days=91)
    )
    page = client.get(reverse("classes")).content.decode()
    assert f'id="exchange-{recent.pk}"' not in page


def test_the_home_shows_each_teacher_the_sessions_in_their_own_class_zone(client):
    exchange, _, _ = active_exchange(a_count=0, b_count=0)
    year = timezone.now().year + 1
    Session.objects.create(exchange=exchange, minutes=45,
                           starts_at=dt.datetime(year, 12, 8, 14, 0, tzinfo=dt.UTC))
    client.force_login(exchange.classroom_b.teacher)  # Dresden: UTC+1 in December
    page = client.get(reverse("classes")).content.decode()
    section = page[page.index('id="upcoming-class-sessions"'):]
    assert "8 Dec, 15:00 in Dresden" in section and "UTC" not in section
    client.force_login(exchange.classroom_a.teacher)  # Coventry: UTC in December
    page = client.get(reverse("classes")).content.decode()
    assert "8 Dec, 14:00 in Coventry" in page[page.index('id="upcoming-class-sessions"'):]


def test_the_join_code_expiry_is_shown_in_the_class_zone_and_named(client):
    _, b, _ = partner_pair()  # Dresden
    year = timezone.now().year + 1
    b.join_code_expires_at = dt.datetime(year, 12, 19, 23, 0, tzinfo=dt.UTC)  # Berlin midnight
    b.save(update_fields=["join_code_expires_at"])
    client.force_login(b.teacher)
    page = client.get(reverse("classroom_detail", args=[b.pk])).content.decode()
    section = page[page.index('id="join-code"'):]
    sentence = section[section.index("Pupils join at"):section.index("Pupils who joined")]
    # Midnight ends the 19th: the day named is the last one pupils can join on.
    assert "until the end of " in sentence and "19 Dec" in sentence and "20 Dec" not in sentence
    assert "(Europe/Berlin)" in sentence
    b.join_code_expires_at = dt.datetime(year, 12, 19, 14, 30, tzinfo=dt.UTC)
    b.save(update_fields=["join_code_expires_at"])
    page = client.get(reverse("classroom_detail", args=[b.pk])).content.decode()
    section = page[page.index('id="join-code"'):]
    sentence = section[section.index("Pupils join at"):section.index("Pupils who joined")]
    assert "end of" not in sentence and "15:30 (Europe/Berlin)" in sentence



def test_a_join_code_past_its_date_says_it_admits_nobody_new(client):
    """After its date the code still logs in the pupils who joined but admits nobody
    new (services/pupils.py): the class page says so, and how to admit more, rather than
    "Pupils join … until" a day that is over."""
    _, b, _ = partner_pair()  # Dresden
    b.join_code_expires_at = timezone.now() - dt.timedelta(days=3)
    b.save(update_fields=["join_code_expires_at"])
    client.force_login(b.teacher)
    page = client.get(reverse("classroom_detail", args=[b.pk])).content.decode()
    section = page[page.index('id="join-code"'):page.index('id="pupils"')]
    assert "Pupils join at" not in section
    assert "New pupils can no longer join with this code since" in section
    assert "make a new code to admit more" in section
    assert "(Europe/Berlin)" in section



def test_the_consent_table_names_each_country_in_the_pages_language(client):
    """A teacher reads "Allemagne", not "DE"; the code stays on the row for the script."""
    twin_cities()
    user = teacher()
    user.language = "fr"
    user.save(update_fields=["language"])
    client.force_login(user)
    page = client.get(reverse("classroom_create")).content.decode()
    table = page[page.index('class="consent-ages"'):page.index("</table>")]
    assert 'data-country="DE"' in table and "<td>Allemagne</td>" in table
    assert "<td>DE</td>" not in table


def _rows(prefix: str, count: int, row) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": count}
    for k in range(count):
        data.update({f"{prefix}-{k}-{field}": value for field, value in row(k).items()})
    return data


@pytest.mark.parametrize(("prefix", "count", "row", "said"), [
    ("lang", 9, lambda k: {"code": ["en", "de", "fr", "es", "it", "pl", "nl", "pt", "sv"][k],
                           "level": "B1", "learning": "1" if k else "0"},
     "A class lists at most 8 languages"),
    ("win", 22, lambda k: {"weekday": k % 5, "start": f"{8 + k // 5:02d}:00",
                           "end": f"{8 + k // 5:02d}:30"},
     "A class gives at most 21 weekly school-hour windows"),
    ("hol", 21, lambda k: {"first_day": f"2027-0{1 + k // 10}-{1 + k % 10:02d}",
                           "last_day": f"2027-0{1 + k // 10}-{1 + k % 10:02d}", "name": ""},
     "A class lists at most 20 holidays"),
])
def test_rows_past_a_class_formsets_limit_come_back_with_words(client, prefix, count, row,
                                                               said):
    coventry, _, _ = twin_cities()
    client.force_login(teacher())
    response = client.post(reverse("classroom_create"),
                           class_form(coventry, **_rows(prefix, count, row)))
    assert response.status_code == 400
    page = response.content.decode()
    assert said in page and "Please submit" not in page
    # Every row typed is on the page again, the last one too.
    assert f'name="{prefix}-{count - 1}-' in page


def test_a_refused_join_code_date_comes_back_as_typed_with_the_reason_beside_it(client):
    """Too far ahead (or no date at all): the class page again (400), the date typed in
    its field and the reason under it; the code is not changed."""
    import html
    import re

    room, _, _ = partner_pair()
    code = room.join_code
    client.force_login(room.teacher)
    url = reverse("join_code_rotate", args=[room.pk])
    far = (timezone.localdate() + dt.timedelta(days=400)).isoformat()
    for typed, reason in ((far, "Choose a day from today to 120 days ahead."),
                          ("2027-02-30", "Enter a valid date.")):
        response = client.post(url, {"expires_on": typed})
        assert response.status_code == 400
        page = response.content.decode()
        field = re.search(r'<input[^>]*name="expires_on"[^>]*>', page).group(0)
        assert f'value="{typed}"' in field and 'aria-invalid="true"' in field
        errors = re.search(r'<div id="id_expires_on_error">(.*?)</div>', page, re.S).group(1)
        assert [html.unescape(e) for e in re.findall(r"<p[^>]*>(.*?)</p>", errors)] == [reason]
    room.refresh_from_db()
    assert room.join_code == code
