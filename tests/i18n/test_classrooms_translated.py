"""The teachers' classroom pages and the pupils' pages speak French, German and Japanese:
each marked string is on the page as the catalogue translates it (not as the English
source), and the retention warning reaches a German-speaking teacher in German."""

import datetime as dt
import json
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext, pgettext
from django.utils.translation.trans_real import DjangoTranslation

from exchanges.models import ClassroomExchange, Notification, TermHoliday, User
from exchanges.models.people import Level
from exchanges.pure.class_overlap import duration_text
from exchanges.pure.languages import language_name
from exchanges.pure.pupil_pairs import INTEREST_LABELS
from exchanges.services import retention
from exchanges.services.class_sessions import (
    class_session_confirm,
    class_session_propose,
    teacher_calendar_ensure,
)
from exchanges.services.pupil_interests import pupil_interests_set
from exchanges.services.pupil_pairing import pairing_propose
from exchanges.services.pupils import WRONG_CODE
from exchanges.services.teachers import (
    teacher_application_refuse,
    teacher_apply,
    teacher_decision_email_send,
)
from tests.exchanges.class_exchange_fixtures import active_exchange
from tests.exchanges.classroom_fixtures import (
    PUPIL_BACKEND,
    classroom,
    officer,
    partner_pair,
    pupil,
    teacher,
    twin_cities,
)
from tests.exchanges.wall_fixtures import make_exchange
from tests.factories import ProgramFactory, UserFactory
from tests.i18n.speaking import assert_speaks, signed_in

pytestmark = pytest.mark.django_db
LANGUAGES = ["fr", "de", "ja"]
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _fresh_join_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_teachers_class_page_is_in_the_teachers_language(language):
    coventry, _, _ = twin_cities()
    room = classroom(teacher_user=teacher(), city=coventry)
    pupil(room, "Amelia K.")
    page = signed_in(room.teacher, language).get(
        reverse("classroom_detail", args=[room.pk])
    ).content.decode()
    assert f'<html lang="{language}"' in page
    assert_speaks(page, language, [
        "All your classes", "Edit the class", "Find a partner class", "The class",
        "Class code", "Make a new code", "The old code stops working at once; empty date: 14 days.",
        "New password", "Remove", "Add these pupils and print their cards",
        "Print login cards for the whole class", "New pupils may join until",
        "One pupil a line: first name and the initial of the surname (Amelia K.).",
    ])
    with translation.override(language):
        assert gettext("Pupils (%(n)s)") % {"n": 1} in page
        level = str(Level.A2.label)
        name = language_name("de")
        assert gettext("learns %(code)s (%(level)s)") % {"code": name, "level": level} in page
    assert "learns German" not in page and "learns de" not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_partner_finder_is_in_the_teachers_language(language):
    a, b, _ = partner_pair()
    page = signed_in(a.teacher, language).get(
        reverse("partner_finder", args=[a.pk])
    ).content.decode()
    assert f'id="suggestion-{b.pk}"' in page
    assert_speaks(page, language, [
        "Back to the class", "Message to the teacher", "Ask to be partners",
        ("exchange mode", "live"),
    ])
    with translation.override(language):
        title = gettext("Partner classes for %(name)s") % {"name": a.name}
        intro = gettext(
            "Classes in cities twinned with %(city)s, best first: languages each learns from "
            "the other, ages within two years, class sizes, and the school time you share, "
            "counted on real dates in both time zones over the coming term (holidays skipped)."
        ) % {"city": a.city.name}
    assert title in page
    assert escape(intro) in page or intro in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pupils_join_page_follows_the_browsers_language(language):
    client = Client(headers={"accept-language": language})
    page = client.get(reverse("join")).content.decode()
    assert f'<html lang="{language}"' in page
    assert_speaks(page, language, [
        "Join your class", "Your teacher gives you the class code. You need no e-mail address.",
        ("a class", "Join"), "Already in your class? Log in", "Class code", "Your name",
        "First name and the initial of your surname.", "At least 8 characters.",
    ])


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_wrong_class_code_is_explained_in_the_pupils_language(language):
    coventry, _, _ = twin_cities()
    classroom(teacher_user=teacher(), city=coventry)
    client = Client(headers={"accept-language": language})
    response = client.post(reverse("join"), {
        "action": "join", "join-code": "ABCDEFGH", "join-display_name": "Amelia K.",
        "join-password": PASSWORD,
    })
    assert response.status_code == 400
    assert_speaks(response.content.decode(), language, [WRONG_CODE])


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_pupil_who_joins_in_their_language_keeps_it_on_the_dashboard(language):
    a, b, _ = partner_pair()
    client = Client(headers={"accept-language": language})
    response = client.post(reverse("join"), {
        "action": "join", "join-code": a.join_code, "join-display_name": "Amelia K.",
        "join-password": PASSWORD,
    }, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    with translation.override(language):
        assert gettext("Welcome, %(name)s!") % {"name": "Amelia K."} in page
        assert gettext("Hello %(name)s") % {"name": "Amelia K."} in page
    assert_speaks(page, language, [
        "Your class", "Partner classes",
        "Your teacher can read your class's chat rooms. Never share your e-mail, phone number "
        "or address.",
        "Your class sessions in a calendar:",
        "Your teacher is looking for a partner class in a twin city.",
    ])
    # Their account remembers it: the same language with a browser that says nothing.
    assert User.objects.get(is_pupil=True).language == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_pupils_interests_page_names_the_interests_in_their_language(language):
    coventry, _, _ = twin_cities()
    member = pupil(classroom(teacher_user=teacher(), city=coventry))
    page = signed_in(member.user, language, backend=PUPIL_BACKEND).get(
        reverse("pupil_interests")
    ).content.decode()
    assert_speaks(page, language, [
        "What do you like?", "Animals", "Art and drawing", "Other sports", "Save",
        "Your partner in the other class is chosen partly by what you both like.",
    ])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_class_sessions_page_names_days_and_shared_time_in_the_teachers_language(language):
    exchange, _, _ = active_exchange(3, 2)
    page = signed_in(exchange.classroom_a.teacher, language).get(
        reverse("class_sessions", args=[exchange.pk])
    ).content.decode()
    assert_speaks(page, language, [
        "Class sessions", "Propose a weekly time", "Sessions to come", "Propose",
        "Sessions are planned every week of both terms at the chosen time, except on either "
        "school's holidays.",
    ])
    with translation.override(language):
        # The sentence up to the list of times, which follows in the page's words too.
        shared = gettext("%(duration)s of shared school time a week, %(times)s").split(
            "%(times)s")[0] % {"duration": duration_text(150)}
        option = gettext("%(label)s in %(a_city)s = %(other)s in %(b_city)s (%(minutes)s min)") % {
            "label": f"{WEEKDAYS[1]} 14:00", "a_city": "Coventry",
            "other": f"{WEEKDAYS[1]} 15:00", "b_city": "Dresden", "minutes": 45}
    assert escape(shared) in page and escape(option) in page
    assert "of shared school time a week" not in page and "Tuesday" not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pairs_page_explains_each_group_in_the_teachers_language(language):
    exchange, pupils_a, pupils_b = active_exchange(2, 2)
    for member in [*pupils_a, *pupils_b]:
        pupil_interests_set(pupil=member, by=member.user, slugs=["football"])
    pairing_propose(exchange=exchange, by=exchange.classroom_a.teacher)
    page = signed_in(exchange.classroom_a.teacher, language).get(
        reverse("pupil_pairing", args=[exchange.pk])
    ).content.decode()
    assert_speaks(page, language, ["Pupil pairs", "You have not confirmed these pairs yet.",
                                   ("button", "Swap"), "Propose again"])
    with translation.override(language):
        both = gettext("Both like %(interests)s.") % {"interests": INTEREST_LABELS["football"]}
    assert page.count(both) == 2
    assert "Both like Football" not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_pupil_reads_the_wall_and_its_refusals_in_their_language(language, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    built = make_exchange()
    client = signed_in(built.a.pupils[0], language, backend=PUPIL_BACKEND)
    url = reverse("wall", args=[built.exchange.pk])
    page = client.get(url).content.decode()
    assert_speaks(page, language, [
        "Posts, photos and comments between the two classes.",
        "Your posts appear once your teacher approves them. Photos are shared without their "
        "hidden data (such as where they were taken).",
        "New post", "Share something with the other class…", ("verb", "Post"),
        "Nothing on the wall yet.",
    ])
    not_an_image = SimpleUploadedFile("notes.jpg", b"plain text", content_type="image/jpeg")
    response = client.post(reverse("wall_post", args=[built.exchange.pk]),
                           {"text": "", "images": [not_an_image]})
    assert response.status_code == 400
    assert_speaks(response.content.decode(), language, ["The file is not an image we can read."])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_class_forms_consent_note_has_its_sentences_in_the_javascript_catalogue(language):
    source = (settings.BASE_DIR / "static" / "js" / "classroom.js").read_text(encoding="utf-8")
    catalogue = Client(headers={"accept-language": language}).get(
        reverse("javascript_catalog")).content.decode()
    msgids = re.findall(r'gettext\("([^"]+)"\)', source)
    assert len(msgids) == 4
    for msgid in msgids:
        with translation.override(language):
            text = DjangoTranslation(language, domain="djangojs").gettext(msgid)
        assert text != msgid, f"{msgid!r} has no {language} translation in djangojs"
        assert json.dumps(text)[1:-1] in catalogue or text in catalogue


def test_the_retention_warning_reaches_a_german_teacher_in_german_and_the_other_in_english(
    monkeypatch, django_capture_on_commit_callbacks
):
    task = retention.retention_warning_email
    monkeypatch.setattr(task, "delay", lambda *a, **k: task.apply(args=a, kwargs=k))
    built = make_exchange()
    german, english = built.b.teacher, built.a.teacher
    german.language = "de"
    german.save(update_fields=["language"])
    now = timezone.now()
    built.exchange.status = ClassroomExchange.Status.ENDED
    built.exchange.ended_at = dt.datetime(2026, 9, 24, 12, tzinfo=dt.UTC)
    built.exchange.save(update_fields=["status", "ended_at"])
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.retention_warn(exchange_id=built.exchange.pk, now=now) is True

    by_address = {m.to[0]: m for m in mail.outbox}
    to_german, to_english = by_address[german.email], by_address[english.email]
    exchange = built.exchange
    deletion = dt.datetime(2026, 12, 23, 12, tzinfo=dt.UTC)  # 90 days after the end
    with translation.override("de"):
        subject = gettext("Pupils' data of %(exchange)s is deleted on %(date)s") % {
            "exchange": exchange,
            "date": date_format(deletion, pgettext(
                "short date in a subject (Django date format)", "d M Y")),
        }
        ended = gettext("Your classroom exchange %(exchange)s ended on %(ended)s.") % {
            "exchange": exchange, "ended": "24. September 2026"}
    assert to_german.subject == subject and subject.startswith("Die Daten der Schüler")
    assert ended in to_german.body
    assert "Am 23. Dezember 2026 werden die Konten der Schüler" in to_german.body
    assert "Your classroom exchange" not in to_german.body and "December" not in to_german.body
    assert "/wall/export/" in to_german.body
    # Without a chosen language the e-mail stays in English, as before.
    assert to_english.subject == f"Pupils' data of {exchange} is deleted on 23 Dec 2026"
    assert f"Your classroom exchange {exchange} ended on 24 September 2026." in to_english.body
    notes = dict(Notification.objects.filter(kind="retention.warning")
                 .values_list("user_id", "text"))
    assert notes[german.pk].startswith("Am 23. Dezember 2026 werden die Konten")
    assert notes[english.pk].startswith("On 23 December 2026 the pupils' accounts")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_teachers_decision_and_its_notice_are_in_the_applicants_language(language):
    coventry, _, twinning = twin_cities()
    program_officer = officer()
    ProgramFactory(twinnings=[twinning]).officers.add(program_officer)
    applicant = UserFactory(language=language)
    application = teacher_apply(user=applicant, school="Coventry Academy", city=coventry,
                                role_at_school="English teacher", verification="school.example")
    teacher_application_refuse(application=application, by=program_officer,
                               reason="No such school")
    assert teacher_decision_email_send(application_id=application.pk) == 1
    (sent,) = mail.outbox
    values = {"role": "English teacher", "school": "Coventry Academy", "reason": "No such school"}
    with translation.override(language):
        subject = gettext("Your teacher application on Jumelage")
        body = gettext("Your application as %(role)s at %(school)s was refused: %(reason)s\n"
                       "You may apply again.") % values
        notice = gettext("Your teacher application was refused: %(reason)s") % values
    assert subject != "Your teacher application on Jumelage"
    assert sent.subject == subject and sent.body.startswith(body)
    assert Notification.objects.get(user=applicant, kind="teacher.refused").text == notice


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_teachers_calendar_feed_is_in_its_owners_language(language):
    exchange, _, _ = active_exchange(3, 2)
    a, b = exchange.classroom_a, exchange.classroom_b
    proposal = class_session_propose(exchange=exchange, by=a.teacher, weekday=1,
                                     local_start=dt.time(14, 0), minutes=45)
    class_session_confirm(proposal=proposal, by=b.teacher)
    b.teacher.language = language
    b.teacher.save(update_fields=["language"])
    token = teacher_calendar_ensure(user=b.teacher).token
    # A calendar app fetches it without a session, in whatever language it sends.
    feed = Client(headers={"accept-language": "en"}).get(
        reverse("teacher_calendar_feed", args=[token])).content.decode()
    with translation.override(language):
        summary = gettext("Class session: %(a)s (%(a_city)s) and %(b)s (%(b_city)s)") % {
            "a": "7B", "a_city": "Coventry", "b": "7c", "b_city": "Dresden"}
    assert summary != "Class session: 7B (Coventry) and 7c (Dresden)"
    unfolded = feed.replace("\r\n ", "")
    assert f"SUMMARY:{summary}" in unfolded


def test_the_french_class_facts_put_a_no_break_space_before_semicolons():
    """French sets U+00A0 before ";" and ":": the class facts take their separators
    from the catalogue (the list separator already says " ; " in French)."""
    coventry, _, _ = twin_cities()
    room = classroom(teacher_user=teacher(), city=coventry)
    start = room.term_start + dt.timedelta(days=10)
    TermHoliday.objects.create(classroom=room, first_day=start,
                               last_day=start + dt.timedelta(days=4))
    page = signed_in(room.teacher, "fr").get(
        reverse("classroom_detail", args=[room.pk])
    ).content.decode()
    facts = page[page.index('id="class-facts"'):]
    facts = facts[:facts.index("</section>")]
    assert facts.count("\u00a0; ") == 2  # between the two languages, before the holidays
    assert "\u00a0; vacances\u00a0:" in facts
    assert not re.search(r"(?<!\u00a0)[;:] ", facts)


def test_the_japanese_class_facts_list_hours_and_holidays_with_the_japanese_comma():
    """Japanese lists with "、": the school hours and the holidays take their separator
    from the catalogue, not a hard-coded ", "."""
    coventry, _, _ = twin_cities()
    room = classroom(teacher_user=teacher(), city=coventry,
                     hours=[(1, "13:00", "15:15"), (3, "13:00", "15:15")])
    first = room.term_start + dt.timedelta(days=10)
    second = first + dt.timedelta(days=20)
    for day in (first, second):
        TermHoliday.objects.create(classroom=room, first_day=day, last_day=day)
    page = signed_in(room.teacher, "ja").get(
        reverse("classroom_detail", args=[room.pk])
    ).content.decode()
    facts = page[page.index('id="class-facts"'):]
    facts = facts[:facts.index("</section>")]
    with translation.override("ja"):
        hours = [f"{WEEKDAYS[day]} 13:00–15:15" for day in (1, 3)]
        holidays = [f"{date_format(day)}–{date_format(day)}" for day in (first, second)]
    assert "、".join(hours) in facts
    assert "、".join(holidays) in facts
    assert ", " not in facts


def test_the_class_facts_template_hard_codes_no_colon_or_semicolon():
    """Every ": " and "; " of the class facts is in a translatable string (a catalogue
    can then give French its no-break space): none is left in the template's own text."""
    source = (settings.BASE_DIR / "templates/exchanges/classrooms/detail.html").read_text()
    facts = source[source.index('id="class-facts"'):]
    facts = facts[:facts.index("</section>")]
    own_text = re.sub(r"{% blocktranslate.*?{% endblocktranslate %}", "", facts, flags=re.S)
    own_text = re.sub(r"{%.*?%}|{{.*?}}", "", own_text, flags=re.S)
    assert not re.search(r"[;:]\s", own_text), own_text
