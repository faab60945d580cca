"""Officers' twinning pages and the audit log: scoping, the action form, the notes."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import AuditEvent, MatchRun, Room, Twinning
from exchanges.services.twinning_lifecycle import twinning_suspend
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world, make_officer
from tests.factories import CityFactory, ParticipantFactory, ProgramFactory, TwinningFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_lifecycle_world()


def _form(**overrides):
    data = {
        "action": "suspend", "effective": timezone.localdate().isoformat(), "side": "city_a",
        "reason": "Council vote of 22 March", "source": "https://example.org/minutes",
    }
    data.update(overrides)
    return data


def test_officer_sees_the_twinnings_of_their_programs_only(client, world):
    other = TwinningFactory()
    client.force_login(world.officer)
    page = client.get(reverse("twinning_list"))
    assert page.status_code == 200
    assert str(world.twinning) in page.content.decode()
    assert str(other) not in page.content.decode()


def test_officer_of_another_program_gets_404_and_cannot_post(client, world):
    stranger = make_officer(ProgramFactory())
    client.force_login(stranger)
    url = reverse("twinning_detail", args=[world.twinning.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _form()).status_code == 404
    world.twinning.refresh_from_db()
    assert world.twinning.status == Twinning.Status.ACTIVE


def test_a_twinning_shared_with_another_officers_program_has_no_decision_form(client, world):
    intruder = make_officer(ProgramFactory(twinnings=[world.twinning]))
    url = reverse("twinning_detail", args=[world.twinning.pk])
    for officer in (intruder, world.officer):
        client.force_login(officer)
        page = client.get(url).content.decode()
        assert "only a platform administrator can record one" in page
        assert 'name="reason"' not in page
        refused = client.post(url, _form())
        assert refused.status_code == 400
        assert "an officer who runs every program on this twinning" in refused.content.decode()
    world.twinning.refresh_from_db()
    assert world.twinning.status == Twinning.Status.ACTIVE


def test_participant_gets_403_on_every_officer_page(client, world):
    client.force_login(ParticipantFactory().user)
    for url in (
        reverse("twinning_list"),
        reverse("twinning_detail", args=[world.twinning.pk]),
        reverse("audit_log"),
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_log_in(client, world):
    page = client.get(reverse("twinning_detail", args=[world.twinning.pk]))
    assert page.status_code == 302 and "login" in page["Location"]


def test_posting_the_form_suspends_and_the_page_shows_the_history(client, world):
    client.force_login(world.officer)
    url = reverse("twinning_detail", args=[world.twinning.pk])
    response = client.post(url, _form(), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Done:" in html and "rooms closed" in html
    assert "Council vote of 22 March" in html
    assert 'id="twinning-status">Suspended' in html
    world.twinning.refresh_from_db()
    world.room.refresh_from_db()
    assert world.twinning.status == Twinning.Status.SUSPENDED
    assert world.room.status == Room.Status.CLOSED
    # A suspended twinning offers termination and reactivation, not suspension.
    assert 'value="reactivate"' in html and 'value="suspend"' not in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reason": ""}, "This field is required"),
        ({"effective": "2999-01-01"}, "cannot be in the future"),
        ({"effective": "31/02/2024"}, "Enter a valid date"),
        ({"side": "nobody"}, "Select a valid choice"),
        ({"action": "reactivate"}, "This twinning is active; it cannot be reactivated."),
        ({"action": "pause"}, "Select a valid choice"),
        ({"source": "not a link"}, "Enter a valid URL"),
    ],
)
def test_bad_input_is_a_form_error_and_changes_nothing(client, world, overrides, message):
    client.force_login(world.officer)
    response = client.post(reverse("twinning_detail", args=[world.twinning.pk]), _form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    world.twinning.refresh_from_db()
    assert world.twinning.status == Twinning.Status.ACTIVE


def test_restrictive_law_notes_show_on_the_page(client):
    indianapolis = CityFactory(name="Indianapolis", country="US", tz="America/Indiana/Indianapolis",
                               region="US-IN")
    hangzhou = CityFactory(name="Hangzhou", country="CN", tz="Asia/Shanghai")
    twinning = TwinningFactory(city_a=indianapolis, city_b=hangzhou)
    officer = make_officer(ProgramFactory(twinnings=[twinning]))
    client.force_login(officer)
    html = client.get(reverse("twinning_detail", args=[twinning.pk])).content.decode()
    assert "Indiana House Enrolled Act 1120" in html
    assert "Indianapolis is in Indiana (US-IN)" in html
    twinning.refresh_from_db()
    assert twinning.status == Twinning.Status.ACTIVE  # facts only


def test_audit_log_lists_lifecycle_changes_and_matching_runs_of_own_programs(client, world):
    twinning_suspend(twinning=world.twinning, by=world.officer, reason="Council vote",
                     effective=timezone.localdate() - dt.timedelta(days=1), side="city_a")
    MatchRun.objects.create(program=world.program, status="done", pairs_count=7,
                            participants_count=20, requested_by=world.officer)
    elsewhere = make_lifecycle_world()
    twinning_suspend(twinning=elsewhere.twinning, by=elsewhere.officer, reason="Secret",
                     effective=timezone.localdate())
    MatchRun.objects.create(program=elsewhere.program, status="done", pairs_count=99)
    client.force_login(world.officer)
    html = client.get(reverse("audit_log")).content.decode()
    assert "Council vote" in html and "Active → Suspended" in html
    assert "7 pairs proposed from 20 participants" in html
    assert "Secret" not in html and "99 pairs" not in html


def test_the_audit_log_names_the_city_that_acted(client, world):
    twinning_suspend(twinning=world.twinning, by=world.officer, reason="Council vote",
                     effective=timezone.localdate(), side="city_b")
    client.force_login(world.officer)
    html = client.get(reverse("audit_log")).content.decode()
    assert f"side: {world.twinning.city_b.name})" in html
    assert "City B" not in html


def test_the_room_page_says_why_it_closed(client, world):
    twinning_suspend(twinning=world.twinning, by=world.officer, reason="Council vote",
                     effective=timezone.localdate())
    client.force_login(world.active.participant_a.user)
    html = client.get(reverse("room_detail", args=[world.room.pk])).content.decode()
    assert "This room is closed" in html
    assert f"The twinning {world.twinning} is suspended since" in html
    assert "Council vote" in html


def test_the_officer_dashboard_links_to_twinnings_and_the_audit_log(client, world):
    client.force_login(world.officer)
    html = client.get(reverse("dashboard")).content.decode()
    assert reverse("twinning_list") in html and reverse("audit_log") in html


def test_an_officer_records_a_region_and_the_law_note_appears(client):
    houston = CityFactory(name="Houston", country="US", tz="America/Chicago")
    shenzhen = CityFactory(name="Shenzhen", country="CN", tz="Asia/Shanghai")
    twinning = TwinningFactory(city_a=houston, city_b=shenzhen)
    officer = make_officer(ProgramFactory(twinnings=[twinning]))
    client.force_login(officer)
    url = reverse("twinning_detail", args=[twinning.pk])
    assert "Texas House Bill 128" not in client.get(url).content.decode()
    response = client.post(reverse("twinning_regions", args=[twinning.pk]),
                           {"region_a": "US-TX", "region_b": "CN-GD"}, follow=True)
    html = response.content.decode()
    assert "Regions saved" in html and "Texas House Bill 128" in html
    houston.refresh_from_db()
    assert houston.region == "US-TX"
    assert AuditEvent.objects.filter(verb="city.region_set", actor=officer).count() == 2


def test_a_region_of_another_country_or_another_officer_is_refused(client, world):
    client.force_login(world.officer)
    url = reverse("twinning_regions", args=[world.twinning.pk])
    response = client.post(url, {"region_a": "US-TX", "region_b": ""}, follow=True)
    assert "Select a valid choice" in response.content.decode()  # city A is in GB
    world.twinning.city_a.refresh_from_db()
    assert world.twinning.city_a.region == ""
    client.force_login(make_officer(ProgramFactory()))
    assert client.post(url, {"region_a": "GB-COV", "region_b": ""}).status_code == 404


def test_a_form_opened_before_another_officer_acted_says_what_the_twinning_is_now(
    client, world
):
    # Two officers open the page while the twinning is active; the first suspends it.
    client.force_login(world.officer)
    url = reverse("twinning_detail", args=[world.twinning.pk])
    assert client.post(url, _form()).status_code == 302
    response = client.post(url, _form(reason="The same vote, sent a second time"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "This twinning is suspended; it cannot be suspended." in html
    assert "not one of the available choices" not in html
    assert "The same vote, sent a second time" in html  # the typed reason stays
    assert world.twinning.status_changes.count() == 1


@pytest.mark.parametrize(("language", "effective", "shown"), [
    ("en", dt.date(2026, 3, 5), "Thu 5 Mar 2026"),
    ("ja", dt.date(2026, 3, 5), "2026年3月5日"),
    ("fr", dt.date(2026, 3, 5), "5 mars 2026"),
])
def test_the_audit_log_and_the_history_write_the_effective_date_in_the_readers_format(
    client, world, language, effective, shown
):
    world.twinning.since = dt.date(2000, 1, 1)
    world.twinning.save(update_fields=["since"])
    twinning_suspend(twinning=world.twinning, by=world.officer, reason="Council vote",
                     effective=effective, side="city_a")
    client.force_login(world.officer)
    audit = client.get(reverse("audit_log"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    detail = client.get(reverse("twinning_detail", args=[world.twinning.pk]),
                        HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for html in (audit, detail):
        assert shown in html
        assert "2026-03-05" not in html


def _regions_world():
    houston = CityFactory(name="Houston", country="US", tz="America/Chicago", region="US-TX")
    shenzhen = CityFactory(name="Shenzhen", country="CN", tz="Asia/Shanghai", region="CN-GD")
    twinning = TwinningFactory(city_a=houston, city_b=shenzhen)
    officer = make_officer(ProgramFactory(twinnings=[twinning]))
    return twinning, officer


def test_a_refused_region_names_its_field_and_keeps_the_other_choice(client):
    twinning, officer = _regions_world()
    client.force_login(officer)
    response = client.post(reverse("twinning_regions", args=[twinning.pk]),
                           {"region_a": "FR-IDF", "region_b": "CN-BJ"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Region of Houston: Select a valid choice." in html
    assert '<option value="CN-BJ" selected>' in html  # the other choice stays as typed
    twinning.city_a.refresh_from_db()
    twinning.city_b.refresh_from_db()
    assert (twinning.city_a.region, twinning.city_b.region) == ("US-TX", "CN-GD")


@pytest.mark.parametrize("data", [{}, {"region_a": "US-CA"}])
def test_a_post_without_a_region_field_wipes_nothing(client, data):
    twinning, officer = _regions_world()
    client.force_login(officer)
    response = client.post(reverse("twinning_regions", args=[twinning.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Region of Shenzhen: Choose a region, or “Not recorded” to clear it." in html
    twinning.city_a.refresh_from_db()
    twinning.city_b.refresh_from_db()
    assert (twinning.city_a.region, twinning.city_b.region) == ("US-TX", "CN-GD")
    assert not AuditEvent.objects.filter(verb="city.region_set").exists()


def test_not_recorded_chosen_on_purpose_clears_a_region(client):
    twinning, officer = _regions_world()
    client.force_login(officer)
    client.post(reverse("twinning_regions", args=[twinning.pk]),
                {"region_a": "", "region_b": "CN-GD"})
    twinning.city_a.refresh_from_db()
    assert twinning.city_a.region == ""


def test_terminating_asks_once_more_and_records_nothing_until_confirmed(client, world):
    client.force_login(world.officer)
    url = reverse("twinning_detail", args=[world.twinning.pk])
    asked = client.post(url, _form(action="terminate", reason="The council ended it"))
    assert asked.status_code == 200
    html = asked.content.decode()
    assert f"Terminate {world.twinning}?" in html
    assert 'name="confirmed" value="terminate"' in html
    # What it would end, counted: the world's active match and its classroom exchange.
    assert "1 active match ends." in html
    assert "1 classroom exchange ends;" in html
    assert "The council ended it" in html  # what was typed stays
    world.twinning.refresh_from_db()
    world.room.refresh_from_db()
    assert world.twinning.status == Twinning.Status.ACTIVE
    assert world.room.status == Room.Status.OPEN
    assert not world.twinning.status_changes.exists()

    done = client.post(url, _form(action="terminate", reason="The council ended it",
                                  confirmed="terminate"))
    assert done.status_code == 302
    world.twinning.refresh_from_db()
    assert world.twinning.status == Twinning.Status.TERMINATED


def test_suspending_needs_no_second_question(client, world):
    client.force_login(world.officer)
    url = reverse("twinning_detail", args=[world.twinning.pk])
    assert client.post(url, _form(action="suspend")).status_code == 302
    world.twinning.refresh_from_db()
    assert world.twinning.status == Twinning.Status.SUSPENDED


def test_a_termination_the_service_would_refuse_is_refused_before_the_question(client, world):
    # The question comes only for a change that would be recorded: a "yes" then refused
    # would be wasted, and the refusal shows at its field.
    world.twinning.since = timezone.localdate()
    world.twinning.save(update_fields=["since"])
    client.force_login(world.officer)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(reverse("twinning_detail", args=[world.twinning.pk]),
                           _form(action="terminate", effective=yesterday))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="terminate-question"' not in html
    error = html.split('id="id_effective_error"', 1)[1].split("</div>", 1)[0]
    assert "cannot be before" in error
    world.twinning.refresh_from_db()
    assert world.twinning.status == Twinning.Status.ACTIVE


def test_terminating_a_shared_twinning_says_why_not_without_asking(client, world):
    ProgramFactory(twinnings=[world.twinning])  # another officer's program
    client.force_login(world.officer)
    response = client.post(reverse("twinning_detail", args=[world.twinning.pk]),
                           _form(action="terminate"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "an officer who runs every program on this twinning" in html
    assert 'id="terminate-question"' not in html


def test_the_reason_field_says_who_reads_the_reason(client, world):
    """The reason goes to the register and into every room the change closes, pupils'
    rooms too: the officer is told so beside the field."""
    client.force_login(world.officer)
    html = client.get(reverse("twinning_detail", args=[world.twinning.pk])).content.decode()
    help_text = html.split('id="id_reason_helptext"', 1)[1].split("</small>", 1)[0]
    assert "public register" in help_text and "rooms it closes, pupils too" in help_text


@pytest.mark.parametrize(("utc_hour", "browser_zone", "prefilled"), [
    (15, None, "2030-06-02"),                  # no zone known: the later of the cities' days
    (15, "Asia/Tokyo", "2030-06-02"),          # the officer's own first hour in Tokyo
    (15, "America/New_York", "2030-06-01"),    # the officer's own morning, still 1 June
    (12, "Pacific/Kiritimati", "2030-06-01"),  # 2 June there, but neither city is on it yet
])
def test_the_effective_date_starts_on_the_officers_own_today(
    client, world, monkeypatch, utc_hour, browser_zone, prefilled
):
    """00:30 in Tokyo on 2 June is still 1 June in UTC: an officer there sees 2 June, not
    yesterday; never a day the service would refuse as future."""
    from exchanges.middleware import ZONE_COOKIE

    world.twinning.city_a.tz = "America/Chicago"
    world.twinning.city_a.save(update_fields=["tz"])
    world.twinning.city_b.tz = "Asia/Tokyo"
    world.twinning.city_b.save(update_fields=["tz"])
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2030, 6, 1, utc_hour, 30,
                                                               tzinfo=dt.UTC))
    client.force_login(world.officer)
    if browser_zone:
        client.cookies[ZONE_COOKIE] = browser_zone
    page = client.get(reverse("twinning_detail", args=[world.twinning.pk])).content.decode()
    field = page.split('name="effective"', 1)[1].split(">", 1)[0]
    assert f'value="{prefilled}"' in field



@pytest.mark.parametrize("effective", ["0001-01-01", "1899-12-31"])
def test_a_change_before_1900_on_a_twinning_without_a_start_is_refused(client, world, effective):
    world.twinning.since = None
    world.twinning.save(update_fields=["since"])
    client.force_login(world.officer)
    url = reverse("twinning_detail", args=[world.twinning.pk])
    suspend = client.post(url, _form(effective=effective))
    assert suspend.status_code == 400
    assert "no twinning&#x27;s status change is recorded earlier" in suspend.content.decode()
    # A termination is checked before its question, and the refusal shows at its field.
    terminate = client.post(url, _form(action="terminate", effective=effective))
    assert terminate.status_code == 400
    html = terminate.content.decode()
    assert 'id="terminate-question"' not in html
    error = html.split('id="id_effective_error"', 1)[1].split("</div>", 1)[0]
    assert "1900" in error
    world.twinning.refresh_from_db()
    assert world.twinning.status == Twinning.Status.ACTIVE
