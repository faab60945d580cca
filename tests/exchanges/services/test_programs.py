"""Officers create and edit programs: permissions, twinnings, the audit trail."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import resolve, reverse
from django.utils import timezone

from exchanges.models import AuditEvent, Notification, ParticipantSummary, Program, Twinning
from exchanges.selectors.matching import participants_with_free_capacity
from exchanges.services.program_enrolment import program_residents_enrol
from exchanges.services.programs import program_create, program_update
from tests.exchanges.lifecycle_fixtures import make_officer
from tests.factories import CityFactory, ParticipantFactory, ProgramFactory, TwinningFactory

pytestmark = pytest.mark.django_db

START = dt.date(2027, 3, 1)


def _values(**overrides):
    values = {
        "name": "Coventry–Dresden tandem", "kind": "tandem", "start_date": START, "weeks": 10,
        "session_minutes": 45, "completion_sessions": 6, "is_open": True,
    }
    values.update(overrides)
    return values


def test_an_officer_creates_a_program_and_becomes_its_officer():
    officer = make_officer()
    twinning = TwinningFactory()
    program = program_create(by=officer, twinnings=[twinning], **_values())
    assert program.slug == "coventrydresden-tandem"
    assert list(program.twinnings.all()) == [twinning]
    assert list(program.officers.all()) == [officer]
    assert (program.weeks, program.session_minutes, program.completion_sessions) == (10, 45, 6)
    assert AuditEvent.objects.get(verb="program.created").actor == officer


def test_same_name_gets_a_distinct_slug():
    first = program_create(by=make_officer(), twinnings=[TwinningFactory()], **_values())
    second = program_create(by=make_officer(), twinnings=[TwinningFactory()], **_values())
    assert first.slug != second.slug


@pytest.mark.parametrize("name", ["New", "new!", "NEW"])
def test_a_name_whose_slug_is_a_page_of_the_programs_gets_another(name):
    # /programs/new/ is the create page: a program there could never show its dashboard.
    program = program_create(by=make_officer(), twinnings=[TwinningFactory()],
                             **_values(name=name))
    url = reverse("program_detail", args=[program.slug])
    assert resolve(url).url_name == "program_detail"
    assert resolve(url).kwargs == {"slug": program.slug}


def test_the_same_program_sent_twice_at_once_is_created_once_and_its_people_told_once(
    enrol_at_commit,
):
    officer = make_officer()
    twinning = TwinningFactory()
    resident = ParticipantFactory(city=twinning.city_a)
    with enrol_at_commit():
        program_create(by=officer, twinnings=[twinning], **_values())
    with pytest.raises(ValidationError, match="a moment ago") as refused, enrol_at_commit():
        program_create(by=officer, twinnings=[twinning], **_values())
    assert "name" in refused.value.message_dict
    assert Program.objects.count() == 1
    assert Notification.objects.filter(user=resident.user).count() == 1
    # Later, or under another name, a second program is a second program.
    Program.objects.update(created_at=timezone.now() - dt.timedelta(minutes=3))
    program_create(by=officer, twinnings=[twinning], **_values())
    program_create(by=officer, twinnings=[twinning], **_values(name="Spring tandem"))
    assert Program.objects.count() == 3


def test_a_participant_cannot_create_a_program():
    with pytest.raises(PermissionDenied):
        program_create(by=ParticipantFactory().user, twinnings=[TwinningFactory()], **_values())
    assert not Program.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"weeks": 0}, "weeks"), ({"session_minutes": 500}, "session_minutes"),
     ({"completion_sessions": 0}, "completion_sessions"), ({"name": ""}, "name"),
     ({"start_date": dt.date(9999, 12, 31)}, "start_date"),
     ({"start_date": dt.date(1999, 12, 31)}, "start_date")],
)
def test_out_of_range_settings_are_refused(overrides, field):
    with pytest.raises(ValidationError) as caught:
        program_create(by=make_officer(), twinnings=[TwinningFactory()], **_values(**overrides))
    assert field in caught.value.message_dict


def test_a_start_may_be_as_late_as_the_end_of_the_year_ten_years_ahead():
    latest = dt.date(timezone.localdate().year + 10, 12, 31)
    officer, twinning = make_officer(), TwinningFactory()
    program = program_create(by=officer, twinnings=[twinning],
                             **_values(start_date=latest, weeks=52))
    assert program.end_date == latest + dt.timedelta(weeks=52)
    with pytest.raises(ValidationError) as caught:
        program_update(program=program, by=officer, twinnings=[twinning],
                       **_values(start_date=latest + dt.timedelta(days=1)))
    assert "start_date" in caught.value.message_dict
    program.refresh_from_db()
    assert program.start_date == latest


def test_a_suspended_twinning_cannot_be_added_but_stays_if_already_there():
    officer = make_officer()
    suspended = TwinningFactory(status=Twinning.Status.SUSPENDED, status_changed=START)
    with pytest.raises(ValidationError, match="Only active twinnings"):
        program_create(by=officer, twinnings=[suspended], **_values())
    program = ProgramFactory(twinnings=[suspended])
    program.officers.add(officer)
    program_update(program=program, by=officer, twinnings=[suspended], weeks=20)
    program.refresh_from_db()
    assert program.weeks == 20 and list(program.twinnings.all()) == [suspended]


def test_an_officer_edits_their_program_and_the_change_is_audited():
    officer = make_officer()
    old, new = TwinningFactory(), TwinningFactory()
    program = ProgramFactory(twinnings=[old])
    program.officers.add(officer)
    program_update(program=program, by=officer, twinnings=[new], is_open=False,
                   completion_sessions=10)
    program.refresh_from_db()
    assert (program.is_open, program.completion_sessions) == (False, 10)
    assert list(program.twinnings.all()) == [new]
    event = AuditEvent.objects.get(verb="program.updated")
    assert event.data == {"changed": ["completion_sessions", "is_open"],
                          "twinnings_added": [new.pk], "twinnings_removed": [old.pk]}


def test_an_officer_of_another_program_cannot_edit_it():
    program = ProgramFactory(twinnings=[TwinningFactory()])
    with pytest.raises(PermissionDenied):
        program_update(program=program, by=make_officer(ProgramFactory()),
                       twinnings=list(program.twinnings.all()), weeks=2)


def test_a_program_needs_a_twinning():
    with pytest.raises(ValidationError, match="at least one twinning"):
        program_create(by=make_officer(), twinnings=[], **_values())


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("\u200b", "Enter a name with visible letters."),
        ("\u200b\u200b ", "Enter a name with visible letters."),
        ("Coventry\u202e tandem", "invisible character (U+202E)"),
    ],
)
def test_a_program_name_that_shows_nothing_or_reorders_itself_is_refused(name, message):
    officer = make_officer()
    with pytest.raises(ValidationError) as exc:
        program_create(by=officer, twinnings=[TwinningFactory()], **_values(name=name))
    assert message in exc.value.message_dict["name"][0]
    program = ProgramFactory(twinnings=[TwinningFactory()])
    program.officers.add(officer)
    with pytest.raises(ValidationError) as exc:
        program_update(program=program, by=officer, twinnings=program.twinnings.all(),
                       name=name)
    assert message in exc.value.message_dict["name"][0]


@pytest.mark.parametrize("name", ["京都–パリ 交流", "برنامج القدس", "תוכנית חיפה", "दिल्ली विनिमय"])
def test_a_program_name_in_another_script_is_kept(name):
    program = program_create(by=make_officer(), twinnings=[TwinningFactory()],
                             **_values(name=name, description="See \u202enuf\u202c soon"))
    assert program.name == name and program.description == "See nuf soon"


def test_more_sessions_to_complete_than_weeks_is_refused():
    with pytest.raises(ValidationError) as caught:
        program_create(by=make_officer(), twinnings=[TwinningFactory()],
                       **_values(weeks=10, completion_sessions=50))
    assert caught.value.message_dict == {"completion_sessions": [
        "At most 10, the program's number of weeks: sessions are weekly, so nobody could "
        "attend more."]}
    assert not Program.objects.exists()


def test_shortening_a_program_below_its_sessions_to_complete_is_refused():
    officer = make_officer()
    program = ProgramFactory(twinnings=[TwinningFactory()], weeks=12, completion_sessions=8)
    program.officers.add(officer)
    with pytest.raises(ValidationError) as caught:
        program_update(program=program, by=officer, twinnings=list(program.twinnings.all()),
                       weeks=6)
    assert list(caught.value.message_dict) == ["completion_sessions"]
    program.refresh_from_db()
    assert program.weeks == 12


def test_a_new_program_starts_at_most_a_year_ago_and_an_old_one_keeps_its_start():
    officer, twinning = make_officer(), TwinningFactory()
    with pytest.raises(ValidationError) as caught:
        program_create(by=officer, twinnings=[twinning],
                       **_values(start_date=dt.date(2001, 1, 1)))
    assert list(caught.value.message_dict) == ["start_date"]
    program = ProgramFactory(twinnings=[twinning], start_date=dt.date(2015, 9, 7))
    program.officers.add(officer)
    program_update(program=program, by=officer, twinnings=[twinning],
                   start_date=dt.date(2015, 9, 7), is_open=False)
    with pytest.raises(ValidationError) as caught:
        program_update(program=program, by=officer, twinnings=[twinning],
                       start_date=dt.date(2015, 9, 14))
    assert list(caught.value.message_dict) == ["start_date"]
    program.refresh_from_db()
    assert (program.start_date, program.is_open) == (dt.date(2015, 9, 7), False)


def test_the_kind_of_a_program_people_joined_cannot_change():
    officer = make_officer()
    twinning = TwinningFactory()
    program = ProgramFactory(twinnings=[twinning], kind=Program.Kind.TANDEM)
    program.officers.add(officer)
    ParticipantFactory().programs.add(program)
    with pytest.raises(ValidationError) as refused:
        program_update(program=program, by=officer, twinnings=[twinning],
                       kind=Program.Kind.CLASSROOM)
    assert "kind" in refused.value.message_dict
    program.refresh_from_db()
    assert program.kind == Program.Kind.TANDEM
    # The rest stays editable, and so does the kind of a program nobody joined yet.
    program_update(program=program, by=officer, twinnings=[twinning], weeks=10,
                   kind=Program.Kind.TANDEM)
    empty = ProgramFactory(twinnings=[twinning], kind=Program.Kind.TANDEM)
    empty.officers.add(officer)
    program_update(program=empty, by=officer, twinnings=[twinning], kind=Program.Kind.CITIZEN)
    empty.refresh_from_db()
    assert empty.kind == Program.Kind.CITIZEN


@pytest.fixture
def enrol_at_commit(monkeypatch, django_capture_on_commit_callbacks):
    """The enrolment task runs in this process when the service's transaction commits."""
    monkeypatch.setattr(program_residents_enrol, "delay", program_residents_enrol)
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _residents(twinning):
    """Two onboarded adults of the twinning's cities, a newcomer who has not finished
    onboarding there, and a pupil of a class there."""
    a = ParticipantFactory(city=twinning.city_a)
    b = ParticipantFactory(city=twinning.city_b)
    unfinished = ParticipantFactory(city=twinning.city_a, onboarded_at=None)
    pupil = ParticipantFactory(city=twinning.city_b, user__is_pupil=True)
    return a, b, unfinished, pupil


def test_a_new_program_enrols_the_people_already_living_in_its_cities_and_tells_them(
    enrol_at_commit,
):
    officer = make_officer()
    twinning = TwinningFactory()
    a, b, unfinished, pupil = _residents(twinning)
    with enrol_at_commit():
        program = program_create(by=officer, twinnings=[twinning], **_values())
    assert set(program.participants.all()) == {a, b}
    # The run that the officer starts now finds them.
    assert set(participants_with_free_capacity(program=program)) == {a.pk, b.pk}
    notice = Notification.objects.get(user=a.user, kind="program.joined")
    assert notice.text == ("Coventry–Dresden tandem now covers your city: the next matching "
                           "run looks for a partner for you.")
    assert notice.url == reverse("dashboard")
    assert not Notification.objects.filter(user__in=[unfinished.user, pupil.user]).exists()
    assert ParticipantSummary.objects.filter(program=program).count() == 2


def test_a_closed_or_classroom_program_enrols_nobody(enrol_at_commit):
    officer = make_officer()
    twinning = TwinningFactory()
    _residents(twinning)
    with enrol_at_commit():
        closed = program_create(by=officer, twinnings=[twinning], **_values(is_open=False))
        classes = program_create(by=officer, twinnings=[twinning],
                                 **_values(name="Classes", kind=Program.Kind.CLASSROOM))
    assert not closed.participants.exists() and not classes.participants.exists()
    assert not Notification.objects.exists()


def test_opening_a_program_or_adding_a_twinning_enrols_their_residents_once(enrol_at_commit):
    officer = make_officer()
    first, second = TwinningFactory(), TwinningFactory()
    a, b, _, _ = _residents(first)
    c, d, _, _ = _residents(second)
    with enrol_at_commit():
        program = program_create(by=officer, twinnings=[first], **_values(is_open=False))
    with enrol_at_commit():
        program_update(program=program, by=officer, twinnings=[first], is_open=True)
    assert set(program.participants.all()) == {a, b}
    with enrol_at_commit():
        program_update(program=program, by=officer, twinnings=[first, second], weeks=11)
    assert set(program.participants.all()) == {a, b, c, d}
    # Saving again changes nobody's enrolment and tells nobody twice.
    with enrol_at_commit():
        program_update(program=program, by=officer, twinnings=[first, second], weeks=12)
    assert Notification.objects.filter(user=a.user, kind="program.joined").count() == 1


def test_the_officers_save_enqueues_the_enrolment_after_it_commits(
    monkeypatch, django_capture_on_commit_callbacks
):
    # A city of tens of thousands takes seconds to enrol: not inside the officer's request.
    officer = make_officer()
    twinning = TwinningFactory()
    a, b, _, _ = _residents(twinning)
    queued = []
    monkeypatch.setattr(program_residents_enrol, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        program = program_create(by=officer, twinnings=[twinning], **_values())
        assert queued == []  # nothing before the program's row is committed
    assert queued == [program.pk] and not program.participants.exists()
    # The task enrols them (and a program deleted meanwhile is nothing to do).
    assert program_residents_enrol(program.pk) == 2
    assert set(program.participants.all()) == {a, b}
    assert program_residents_enrol(program.pk + 1000) == 0


def test_the_refusal_names_a_twinning_that_is_not_active_with_its_cities_countries():
    # Two cities may share a name (Frankfurt, Birmingham): the countries tell them apart.
    suspended = TwinningFactory(city_b=CityFactory(country="DE", tz="Europe/Berlin"),
                                status=Twinning.Status.SUSPENDED, status_changed=START)
    with pytest.raises(ValidationError) as caught:
        program_create(by=make_officer(), twinnings=[suspended], **_values())
    names = f"{suspended.city_a.name} (United Kingdom) – {suspended.city_b.name} (Germany)"
    assert caught.value.message_dict["twinnings"] == [
        f"Only active twinnings can be added; not active: {names}."
    ]
