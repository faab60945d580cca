"""Management commands: arguments, one-line results, and non-zero exits on bad input."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from exchanges.forms.metrics import default_period
from exchanges.models import (
    AvailabilityWindow,
    ClassroomExchange,
    Match,
    Participant,
    ParticipantLanguage,
    Twinning,
    User,
)
from exchanges.selectors.metrics import Scope, metrics

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)


def run(*args, **kwargs) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def test_load_twinnings_then_again_says_nothing_changed():
    first = run("load_twinnings")
    assert "twinnings created" in first
    second = run("load_twinnings")
    assert "already up to date" in second
    assert "nothing to do" in second


def test_load_twinnings_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read the file"):
        run("load_twinnings", str(tmp_path / "missing.csv"))
    assert Twinning.objects.count() == 0


def _fingerprint():
    people = Participant.objects.order_by("user__email").values_list(
        "user__email", "city__name", "birth_year", "capacity", "user__display_name"
    )
    languages = ParticipantLanguage.objects.order_by(
        "participant__user__email", "code", "learning"
    ).values_list("participant__user__email", "code", "level", "learning")
    windows = AvailabilityWindow.objects.order_by(
        "participant__user__email", "weekday", "start"
    ).values_list("participant__user__email", "weekday", "start", "end")
    return list(people), list(languages), list(windows)


def test_seed_demo_is_deterministic_for_a_seed():
    run("load_twinnings")
    run("seed_demo", "--participants", "60", "--seed", "7")
    first = _fingerprint()
    Participant.objects.all().delete()
    User.objects.all().delete()
    run("seed_demo", "--participants", "60", "--seed", "7")
    assert _fingerprint() == first
    assert len(first[0]) == 60


def test_seeded_people_are_plausible():
    run("load_twinnings")
    run("seed_demo", "--participants", "200", "--seed", "3")
    for participant in Participant.objects.select_related("city").prefetch_related(
        "languages", "availability", "interests"
    ):
        spoken = [lang for lang in participant.languages.all() if not lang.learning]
        learnt = [lang for lang in participant.languages.all() if lang.learning]
        assert spoken and learnt
        assert participant.city.languages[0] in {lang.code for lang in spoken}
        assert all(lang.level != "native" for lang in learnt)
        assert participant.availability.all()
        assert all(w.end > w.start for w in participant.availability.all())
        assert 2026 - participant.birth_year >= 18
        assert 1 <= participant.capacity <= 3
        assert participant.interests.count() >= 2


def test_seed_demo_twice_with_the_same_seed_is_refused():
    run("load_twinnings")
    run("seed_demo", "--participants", "5", "--seed", "9")
    with pytest.raises(CommandError, match="already exist"):
        run("seed_demo", "--participants", "5", "--seed", "9")


def test_seed_demo_without_twinnings_is_refused():
    with pytest.raises(CommandError, match="load the twinnings first"):
        run("seed_demo", "--participants", "5")


def test_demo_logins_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    run("load_twinnings")
    with pytest.raises(CommandError, match="refused when DEBUG is off"):
        run("seed_demo", "--participants", "0", "--demo-logins")
    assert not User.objects.filter(email="alice@demo.test").exists()


def test_demo_logins_create_the_cast_with_an_active_match(settings):
    settings.DEBUG = True
    run("load_twinnings")
    out = run("seed_demo", "--participants", "10", "--demo-logins")
    for email in ("alice@demo.test", "bruno@demo.test", "teacher@demo.test", "officer@demo.test"):
        assert email in out
        assert User.objects.get(email=email).check_password("demo-pass-2027")
    alice = Participant.objects.get(user__email="alice@demo.test")
    assert alice.city.name == "Coventry"
    assert set(alice.languages.values_list("code", "level", "learning")) == {
        ("en", "native", False), ("de", "B1", True)
    }
    bruno = Participant.objects.get(user__email="bruno@demo.test")
    assert set(bruno.languages.values_list("code", "level", "learning")) == {
        ("de", "native", False), ("en", "B2", True)
    }
    match = Match.objects.get(participant_a=alice, participant_b=bruno)
    assert match.status == "active"
    assert match.room.is_open
    assert set(match.room.members.values_list("email", flat=True)) == {
        "alice@demo.test", "bruno@demo.test"
    }
    # A confirmed weekly slot and the program's sessions, so the schedule shows at once.
    sessions = match.sessions.filter(status="scheduled")
    assert sessions.count() >= 10
    assert match.slot_proposals.get().status == "confirmed"
    # The officer's figures are computed at once, not only at the next beat.
    program = match.program
    figures = metrics(scope=Scope(program_ids=(program.pk,)), period=default_period())
    assert figures["as_of"] is not None
    assert figures["totals"]["participants"] == program.participants.exclude(
        onboarded_at=None).count() > 0
    # The demo classes' exchange is in the officer's classroom program, its pupils counted.
    exchange = ClassroomExchange.objects.get(classroom_a__join_code="CVNTRY27")
    assert exchange.program.kind == "classroom"
    assert exchange.program.officers.filter(email="officer@demo.test").exists()
    classes = metrics(scope=Scope(program_ids=(exchange.program.pk,)), period=default_period())
    assert classes["totals"]["participants"] == 7  # 3 pupils in Coventry, 4 in Dresden
    # Running it again keeps the same cast.
    run("seed_demo", "--participants", "0", "--demo-logins", "--seed", "2")
    assert Match.objects.filter(participant_a=alice, participant_b=bruno).count() == 1
    assert match.sessions.count() == sessions.count()


def test_a_createsuperuser_account_signs_in_at_once_with_its_address_verified(
    client, monkeypatch
):
    """Whoever runs manage.py owns the server: no console link to follow first."""
    from allauth.account.models import EmailAddress
    from django.urls import reverse

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "root-pass-2027-long")
    call_command("createsuperuser", interactive=False, email="Root@Example.org",
                 stdout=StringIO())
    user = User.objects.get(email="root@example.org")
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("root@example.org", True, True)
    response = client.post(reverse("account_login"),
                           {"login": "root@example.org", "password": "root-pass-2027-long"})
    assert response.status_code == 302
    assert "confirm-email" not in response["Location"]
    assert client.get(reverse("admin:index")).status_code == 200
