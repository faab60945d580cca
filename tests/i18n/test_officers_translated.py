"""The program officers' pages and the public transparency register speak French, German and
Japanese: each marked string is on the page as the catalogue translates it (not as the
English source), the "how we count" definitions included; the exports keep their English
keys whatever the language; a suspension reaches a French-speaking participant in French."""

import csv
import io
import json
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext

from exchanges.models import MatchRun, Notification
from exchanges.pure.languages import country_name
from exchanges.pure.regions import subdivision_local_name
from exchanges.selectors import register
from exchanges.selectors.metrics import DEFINITIONS, KEYS, LABELS, NOTES
from exchanges.services.twinning_lifecycle import twinning_change_email, twinning_suspend
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world, make_officer
from tests.exchanges.metrics_fixtures import build_dataset
from tests.factories import CityFactory, ProgramFactory, TwinningFactory
from tests.i18n.speaking import assert_speaks, signed_in, translated
from tests.i18n.test_pages_in_one_language import foreign_texts, page_texts

pytestmark = pytest.mark.django_db
LANGUAGES = ["fr", "de", "ja"]
SPRING = {"from": "2026-03-01", "to": "2026-05-31"}


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_officer_dashboard_is_in_the_officers_language(language):
    world = make_lifecycle_world()
    page = _html(signed_in(world.officer, language).get(reverse("dashboard")))
    assert f'lang="{language}"' in page
    assert_speaks(page, language, [
        "Launch matching, follow its runs and see how your programs do.",
        "Approve or refuse the teachers of your programs' cities.",
        "Pupils' reports",
        "Teacher applications",
    ])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_program_dashboard_and_its_definitions_are_translated(language):
    data = build_dataset()
    officer = make_officer(data.program)
    url = reverse("program_detail", args=[data.program.slug])
    page = _html(signed_in(officer, language).get(url, SPRING))
    assert_speaks(page, language, [
        "How we count",
        "Who takes part",
        "Sessions held and contact hours per week",
        "Retention by week of joining",
        "Matching runs",
        "Export these figures:",
        ("date range", "From"),
    ])
    # The dataset's program has ended: the page says so instead of offering a run.
    with translation.override(language):
        ended = gettext("No matching run: the program has ended (%(date)s).")
    assert escape(ended.split("%(date)s")[0]) in page
    # Every figure's label and exact definition, and the notes, as the catalogue says them.
    with translation.override(language):
        definitions = {key: str(DEFINITIONS[key]) for key in KEYS}
        labels = {key: str(LABELS[key]) for key in KEYS}
        notes = [str(note) for note in NOTES]
    with translation.override("en"):
        english = {key: str(DEFINITIONS[key]) for key in KEYS}
    for key in KEYS:
        assert definitions[key] != english[key], f"{key}: no {language} definition"
        assert escape(definitions[key]) in page, key
        assert escape(labels[key]) in page, key
        assert escape(english[key]) not in page, key
    for note in notes:
        assert escape(note) in page
    # The charts read their labels from the page, in its language.
    island = re.search(r'<script id="metrics-charts" type="application/json">(.*?)</script>',
                       page, re.S)
    charts = json.loads(island.group(1))
    assert charts["labels"]["sessions_held"] == translated(language, "Sessions held")
    assert charts["labels"]["contact_hours"] == translated(language, "Contact hours")


def test_rates_are_written_in_the_languages_number_format():
    # Eight of fourteen pupils expected came (the hand-built tandem program's totals count
    # three active people, which the small-count rule hides).
    from exchanges.services.metrics import metrics_refresh
    from tests.exchanges.pupil_attendance_fixtures import classes_with_attendance

    classes = classes_with_attendance()
    metrics_refresh(full=True)
    officer = make_officer(classes.program)
    url = reverse("program_detail", args=[classes.program.slug])
    assert "57.1 %" in _html(signed_in(officer, "en").get(url))
    assert "57,1 %" in _html(signed_in(officer, "fr").get(url))


def _restricted_twinning():
    indianapolis = CityFactory(name="Indianapolis", country="US",
                               tz="America/Indiana/Indianapolis", region="US-IN")
    hangzhou = CityFactory(name="Hangzhou", country="CN", tz="Asia/Shanghai")
    twinning = TwinningFactory(city_a=indianapolis, city_b=hangzhou)
    return twinning, make_officer(ProgramFactory(twinnings=[twinning]))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_twinning_page_is_translated_and_keeps_the_laws_name(language):
    twinning, officer = _restricted_twinning()
    page = _html(signed_in(officer, language).get(reverse("twinning_detail", args=[twinning.pk])))
    assert_speaks(page, language, [
        "Laws that restrict this twinning",
        "Status history",
        "Record a decision",
        "Effective date",
        "Which side acted",
        "Save regions",
        "Facts only: the platform never changes a twinning's status by itself.",
    ])
    with translation.override(language):
        sentence = gettext(
            "%(city)s is in %(jurisdiction_name)s (%(jurisdiction)s), where %(law)s (%(date)s) "
            "restricts twinnings with %(country)s, the country of %(other)s."
        ) % {
            "city": "Indianapolis", "jurisdiction_name": subdivision_local_name("US-IN"),
            "jurisdiction": "US-IN", "law": "Indiana House Enrolled Act 1120", "date": "2024",
            "country": country_name("CN"), "other": "Hangzhou",
        }
    assert "Indiana House Enrolled Act 1120" in page  # the law's name as written
    assert escape(sentence) in page
    assert "Indianapolis is in" not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_twinning_list_and_audit_log_are_translated(language):
    world = make_lifecycle_world()
    client = signed_in(world.officer, language)
    assert_speaks(_html(client.get(reverse("twinning_list"))), language,
                  ["Twinnings of your programs", "Public register"])
    assert_speaks(_html(client.get(reverse("audit_log"))), language, [
        "Every status change of your programs' twinnings and every matching run of your "
        "programs, newest first.",
    ])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_transparency_register_is_in_the_browsers_language(client, language):
    make_lifecycle_world()
    page = _html(client.get(reverse("transparency"), HTTP_ACCEPT_LANGUAGE=language))
    assert f'lang="{language}"' in page
    assert_speaks(page, language, [
        "Transparency register",
        "Twinnings and their status",
        "Participation per year",
        "How we count",
        "All twinnings",
    ])
    with translation.override(language):
        texts = [str(register.DEFINITIONS[name]) for name in register.FIGURES]
        texts += [str(register.LABELS[name]) for name in register.FIGURES]
        texts.append(str(register.SUPPRESSION_NOTE))
    for text in texts:
        assert escape(text) in page
    with translation.override("en"):
        assert escape(str(register.SUPPRESSION_NOTE)) not in page


def test_the_exports_keep_their_english_keys_in_every_language():
    data = build_dataset()
    officer = make_officer(data.program)
    client = Client()
    client.force_login(officer)
    csv_url = reverse("program_metrics_csv", args=[data.program.slug])
    json_url = reverse("program_metrics_json", args=[data.program.slug])
    headers, json_keys, register_keys, levels, reasons = set(), set(), set(), set(), set()
    for language in ["en", *LANGUAGES]:
        lang = {"HTTP_ACCEPT_LANGUAGE": language}
        text = client.get(csv_url, SPRING, **lang).content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        headers.add(tuple(rows[0]))
        levels.add(tuple(row[0] for row in rows[1:]))
        reasons.add(tuple(row[-1] for row in rows[1:]))
        exported = client.get(json_url, SPRING, **lang).json()
        json_keys.add((tuple(exported), tuple(exported["by_twinning"][0])))
        public = client.get(reverse("transparency_json"), **lang).json()
        register_keys.add((
            tuple(public), tuple(public["definitions"]), tuple(public["twinnings"][0]),
            tuple(public["twinnings"][0]["participation_all_years"]),
        ))
    assert headers == {("level", "name", *KEYS, "countries", "hidden")}
    # What the small-count rule hides, and why, in the same codes in every language.
    assert len(reasons) == 1 and "participants:small" in " ".join(next(iter(reasons)))
    assert len(levels) == 1 and set(next(iter(levels))) == {"program", "twinning", "city"}
    assert len(json_keys) == 1
    top, by_twinning = next(iter(json_keys))
    assert set(KEYS) <= set(top) and set(KEYS) <= set(by_twinning)
    assert len(register_keys) == 1
    assert next(iter(register_keys))[1] == register.FIGURES


def test_a_suspension_reaches_a_french_participant_in_french(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(
        twinning_change_email, "delay",
        lambda *a, **k: twinning_change_email.apply(args=a, kwargs=k),
    )
    world = make_lifecycle_world()
    french = world.active.participant_a.user
    french.language = "fr"
    french.save(update_fields=["language"])
    english = world.active.participant_b.user
    effective = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        twinning_suspend(twinning=world.twinning, by=world.officer, reason="Vote du conseil",
                         effective=effective, side="city_a")
    with translation.override("fr"):
        since = gettext("The twinning %(twinning)s is suspended since %(date)s") % {
            "twinning": str(world.twinning), "date": date_format(effective, "DATE_FORMAT"),
        }
        expected = gettext(
            "%(since)s: your room is closed and your future sessions are cancelled."
        ) % {"since": since}
        subject = gettext("The twinning %(twinning)s is suspended") % {
            "twinning": str(world.twinning)
        }
    assert expected.startswith("Le jumelage") and "suspendu" in expected
    notice = Notification.objects.get(user=french, kind="twinning.suspended")
    assert notice.text == expected
    other = Notification.objects.get(user=english, kind="twinning.suspended")
    assert other.text.startswith(f"The twinning {world.twinning} is suspended since")
    to_french = [m for m in mail.outbox if m.to == [french.email]]
    assert [m.subject for m in to_french] == [subject]
    assert "Vote du conseil" in to_french[0].body and "Motif" in to_french[0].body
    to_english = [m for m in mail.outbox if m.to == [english.email]]
    assert to_english[0].subject == f"The twinning {world.twinning} is suspended"


def test_a_run_whose_workers_stopped_says_so_in_the_officers_language():
    data = build_dataset()
    officer = make_officer(data.program)
    MatchRun.objects.create(
        program=data.program, status=MatchRun.Status.FAILED, attempts=MatchRun.MAX_ATTEMPTS,
        workers_lost=MatchRun.MAX_ATTEMPTS, heartbeat_at=timezone.now(),
        error="The worker stopped during each of 3 attempts; nothing was stored.",
    )
    page = _html(signed_in(officer, "de").get(reverse("program_detail", args=[data.program.slug])))
    with translation.override("de"):
        start = gettext(
            "The worker stopped during each of %(attempts)s attempts; nothing was stored. Run "
            "matching again. (Last sign of life %(when)s; if it stops again, the workers need "
            "more memory or time.)"
        ).split("%(attempts)s")[0]
    assert start.startswith("Der Worker") and escape(start) in page
    assert "The worker stopped" not in page


def test_a_room_closed_by_a_suspension_says_why_in_each_readers_language():
    world = make_lifecycle_world()
    effective = timezone.localdate()
    twinning_suspend(twinning=world.twinning, by=world.officer, reason="Vote du conseil",
                     effective=effective, side="city_a")
    url = reverse("room_detail", args=[world.room.pk])
    french = _html(signed_in(world.active.participant_a.user, "fr").get(url))
    with translation.override("fr"):
        since = gettext("The twinning %(twinning)s is suspended since %(date)s") % {
            "twinning": str(world.twinning), "date": date_format(effective, "DATE_FORMAT"),
        }
        reason = gettext("%(since)s: %(reason)s") % {"since": since, "reason": "Vote du conseil"}
    assert reason.startswith("Le jumelage") and escape(reason) in french
    assert "The twinning" not in french
    # The other member reads it in English; the room keeps one (English) reason.
    english = _html(signed_in(world.active.participant_b.user, "en").get(url))
    assert escape(f"The twinning {world.twinning} is suspended since") in english
    world.room.refresh_from_db()
    assert world.room.closed_reason.startswith(f"The twinning {world.twinning} is suspended")


@pytest.mark.parametrize("language", ["de", "ja"])
def test_the_officers_pages_hold_no_english_in_german_or_japanese(language):
    """With tests/i18n/test_pages_in_one_language.py's checker: no text of the officer's
    pages (and the public register) is English, outside the data."""
    data = build_dataset()
    twinning = data.program.twinnings.first()
    # Only an officer of every program on a twinning changes its status.
    officer = make_officer(*twinning.programs.all())
    twinning_suspend(twinning=twinning, by=officer, reason="Ratsbeschluss",
                     effective=timezone.localdate())
    words = {"London", "Düsseldorf", "名古屋", data.program.name, officer.public_name,
             "Ratsbeschluss", "JSON", "CSV", "UTC", "ISO", "YYYY-MM-DD", "GB", "DE", "JP",
             "Japan"}  # the country codes are the register's abbreviations' titles
    words |= {str(t) for t in data.program.twinnings.all()}
    words |= {p.name for p in twinning.programs.all()}
    type(officer).objects.filter(pk=officer.pk).update(language="")  # the browser decides
    for url in [reverse("dashboard"), reverse("program_list"), reverse("program_new"),
                reverse("program_detail", args=[data.program.slug]) + "?from=2026-03-01",
                reverse("twinning_list"), reverse("audit_log"), reverse("transparency")]:
        english, reader = (Client(headers={"accept-language": lang}) for lang in ("en", language))
        english.force_login(officer)
        reader.force_login(officer)
        found = foreign_texts(language, page_texts(reader.get(url)),
                              page_texts(english.get(url)), words)
        assert found == [], (url, found)
