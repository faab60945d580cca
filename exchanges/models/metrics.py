"""Summaries behind the officers' figures (exchanges/selectors/metrics.py).

The dashboard reads these instead of scanning messages, attendance and matches: they are
written by exchanges/services/metrics.py on the writes that change them (a session
settled, a match becoming active) and refreshed by its beat task. ``PresenceInterval``
is raw data: each stretch of time one person had the room open during a session, so
the time both partners were there together can be worked out exactly.
"""

import datetime as dt

from django.db import models

from exchanges.models.people import Participant
from exchanges.models.places import City, Twinning
from exchanges.models.programs import Program
from exchanges.models.rooms import Room
from exchanges.models.sessions import Attendance, Session


class PresenceInterval(models.Model):
    """One stretch [started_at, ended_at] of a person's presence inside a session."""

    attendance = models.ForeignKey(
        Attendance, on_delete=models.CASCADE, related_name="intervals"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()

    class Meta:
        ordering = ["attendance", "started_at"]

    def __str__(self) -> str:
        return f"{self.attendance_id}: {self.started_at:%H:%M:%S}–{self.ended_at:%H:%M:%S}"


class SessionSummary(models.Model):
    """A session with what the figures need in one row: its program, twinning, the two
    partners' (or classes') cities, whether each partner attended (how many of each class's
    pupils were expected and came), and the seconds both sides were present."""

    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    twinning = models.ForeignKey(Twinning, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Session.Status.choices)
    participant_a = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, related_name="+"
    )
    participant_b = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, related_name="+"
    )
    city_a = models.ForeignKey(City, on_delete=models.CASCADE, null=True, related_name="+")
    city_b = models.ForeignKey(City, on_delete=models.CASCADE, null=True, related_name="+")
    a_attended = models.BooleanField(default=False)
    b_attended = models.BooleanField(default=False)
    together_seconds = models.PositiveIntegerField(default=0)
    # A class session's pupils, per class (side a: the exchange's classroom_a): those
    # expected (in the class by the session's start, or who came) and those who came.
    # Counts only, never who; 0 for a tandem session, whose partners are the columns above.
    a_pupils = models.PositiveIntegerField(default=0)
    b_pupils = models.PositiveIntegerField(default=0)
    a_pupils_came = models.PositiveIntegerField(default=0)
    b_pupils_came = models.PositiveIntegerField(default=0)
    # Each partner's previous attended session in the program, and in this twinning: a
    # person is active in a range once, on the row whose previous attended session is
    # before the range, so active people are counted without DISTINCT over all sessions.
    a_prev_attended_at = models.DateTimeField(null=True)
    b_prev_attended_at = models.DateTimeField(null=True)
    a_prev_in_twinning_at = models.DateTimeField(null=True)
    b_prev_in_twinning_at = models.DateTimeField(null=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["program", "starts_at"])]

    def __str__(self) -> str:
        return f"Summary of session {self.session_id}"


class ParticipantSummary(models.Model):
    """One participant in one program, with the dates of their milestones there.

    Each milestone is the moment it was reached, so "as of the end of a range" is a
    comparison: matched (first match active), first held session, completion (the
    program's threshold of attended sessions reached), retention (a session attended
    four weeks or more after the first held one).
    """

    class Role(models.TextChoices):
        CITIZEN = "citizen", "Citizen"
        STUDENT = "student", "Student"
        PUPIL = "pupil", "Pupil"

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey(City, on_delete=models.CASCADE, null=True, related_name="+")
    role = models.CharField(max_length=8, choices=Role.choices)
    classroom_id = models.IntegerField(null=True)
    birth_year = models.PositiveSmallIntegerField(null=True)
    joined_at = models.DateTimeField()
    first_active_at = models.DateTimeField(null=True)
    days_to_match = models.PositiveIntegerField(null=True)
    first_held_at = models.DateTimeField(null=True)
    retained_at = models.DateTimeField(null=True)
    completed_at = models.DateTimeField(null=True)
    refreshed_at = models.DateTimeField()
    # The milestones as they were when a partner's data was deleted (their shared
    # sessions went with it): a refresh never moves a milestone later than these
    # (services/metrics_kept.py), so past figures keep counting this person as they did.
    kept_active_at = models.DateTimeField(null=True)
    kept_held_at = models.DateTimeField(null=True)
    kept_retained_at = models.DateTimeField(null=True)
    kept_completed_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "program"], name="participant_summary_once"
            )
        ]
        indexes = [
            models.Index(fields=["program", "joined_at"]),
            # The few who reached a milestone after a range's last day (PeopleDay).
            models.Index(fields=["program", "first_active_at"]),
            models.Index(fields=["program", "completed_at"]),
            models.Index(fields=["program", "first_held_at"]),
            models.Index(fields=["program", "retained_at"]),
        ]

    def __str__(self) -> str:
        return f"Summary of participant {self.participant_id} in program {self.program_id}"


class RoomMessageDay(models.Model):
    """How many messages a room received on a UTC day (never their text); the room's
    program and twinning are copied so a dashboard sums them without joins."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, null=True, related_name="+")
    twinning = models.ForeignKey(Twinning, on_delete=models.CASCADE, null=True, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "day"], name="room_message_day_once")
        ]
        indexes = [models.Index(fields=["program", "day"])]

    def __str__(self) -> str:
        return f"Room {self.room_id} on {self.day}: {self.count}"


class SessionDay(models.Model):
    """The session summaries of one program, twinning and pair of partners' cities on one
    UTC day, added up: what the session figures and the weekly chart sum over a range of
    days. Rebuilt from ``SessionSummary`` for every day whose sessions changed."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    twinning = models.ForeignKey(Twinning, on_delete=models.CASCADE, related_name="+")
    city_a = models.ForeignKey(City, on_delete=models.CASCADE, null=True, related_name="+")
    city_b = models.ForeignKey(City, on_delete=models.CASCADE, null=True, related_name="+")
    day = models.DateField()
    scheduled = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    missed = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    together_seconds = models.BigIntegerField(default=0)  # of the held sessions
    # Person-sessions of the sessions that took place (held or missed), and attended ones:
    # a tandem side is its partner; a class session's side is its class's expected pupils.
    a_sessions = models.PositiveIntegerField(default=0)
    b_sessions = models.PositiveIntegerField(default=0)
    a_came = models.PositiveIntegerField(default=0)
    b_came = models.PositiveIntegerField(default=0)
    # Counted for people whose data was since deleted (retention, own account deletion):
    # a refresh rebuilds the other rows only (services/metrics_kept.py).
    kept = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["program", "day"]), models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"Sessions of program {self.program_id}, twinning {self.twinning_id} on {self.day}"


class ActiveDay(models.Model):
    """Attended person-sessions (a partner's, or a pupil's at a class session) of one
    program, twinning and person's city on one UTC day,
    keyed by the day of the person's previous attended session in the program and in the
    twinning: a person is active in a range once, on the day whose previous day is before
    the range (or none), so active people are a sum over a range of days."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    twinning = models.ForeignKey(Twinning, on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey(City, on_delete=models.CASCADE, null=True, related_name="+")
    # The partner's city: a city's view counts both partners of its sessions by twinning.
    partner_city = models.ForeignKey(
        City, on_delete=models.CASCADE, null=True, related_name="+"
    )
    day = models.DateField()
    previous_day = models.DateField(null=True)
    previous_in_twinning_day = models.DateField(null=True)
    # Negative only on a kept row: a deletion moved a partner's previous session.
    count = models.IntegerField(default=0)
    # Counted for people whose data was since deleted (retention, own account deletion):
    # a refresh rebuilds the other rows only (services/metrics_kept.py).
    kept = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["program", "day"])]

    def __str__(self) -> str:
        return f"{self.count} attended in program {self.program_id} on {self.day}"


class MessageDay(models.Model):
    """Messages of one program and twinning on one UTC day (the sum of ``RoomMessageDay``
    over the rooms), so messages per active match sum a few rows a day."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    twinning = models.ForeignKey(Twinning, on_delete=models.CASCADE, null=True, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)
    # Counted in rooms deleted with a person's data: never rebuilt (services/metrics_kept.py).
    kept = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["program", "day"])]

    def __str__(self) -> str:
        return f"{self.count} messages in program {self.program_id} on {self.day}"


class PeopleDay(models.Model):
    """Participants of one program and city who joined on one UTC day, by days to match,
    with how many ever reached each milestone. A figure "as of the range's last day" is
    the milestone count less the few people who reached it after that day (read from the
    participant summaries, whose milestone columns are indexed)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey(City, on_delete=models.CASCADE, null=True, related_name="+")
    day = models.DateField()
    days_to_match = models.PositiveIntegerField(null=True)
    count = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)  # had a first held session
    retained = models.PositiveIntegerField(default=0)
    # Counted for people whose data was since deleted (retention, own account deletion):
    # a refresh rebuilds the other rows only (services/metrics_kept.py).
    kept = models.BooleanField(default=False)
    # A kept row's UTC days of its milestones (its people share them), so a range takes
    # away those reached after its last day as it does for the summaries' people.
    matched_on = models.DateField(null=True)
    completed_on = models.DateField(null=True)
    held_on = models.DateField(null=True)
    retained_on = models.DateField(null=True)

    class Meta:
        indexes = [models.Index(fields=["program", "day"])]

    def __str__(self) -> str:
        return f"{self.count} joined program {self.program_id} on {self.day}"


class ProfileDay(models.Model):
    """Participants of one program who joined on one UTC day, by role, birth year and
    class: the breakdown and the cohort chart (milestones as in ``PeopleDay``)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    role = models.CharField(max_length=8)
    birth_year = models.PositiveSmallIntegerField(null=True)
    classroom_id = models.IntegerField(null=True)
    count = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    retained = models.PositiveIntegerField(default=0)
    # Counted for people whose data was since deleted (retention, own account deletion):
    # a refresh rebuilds the other rows only (services/metrics_kept.py).
    kept = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["program", "day"])]

    def __str__(self) -> str:
        return f"{self.count} {self.role}s joined program {self.program_id} on {self.day}"


class LanguageDay(models.Model):
    """Participants of one program (their summaries) who joined on one UTC day and learn
    a language, per language: the dashboard's breakdown by language learned."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    code = models.CharField(max_length=2)
    count = models.PositiveIntegerField(default=0)
    # Counted for people whose data was since deleted (retention, own account deletion):
    # a refresh rebuilds the other rows only (services/metrics_kept.py).
    kept = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["program", "day"])]

    def __str__(self) -> str:
        return f"{self.count} learning {self.code} in program {self.program_id} on {self.day}"


class RegisterPeopleDay(models.Model):
    """Participants (completed profile) who joined on one UTC day, counted once per
    twinning they take part in (their city is one of its two, in a program over it), and
    once across all twinnings (``twinning`` None): the register's people are sums of
    these, a person having one city and one joining day."""

    twinning = models.ForeignKey(Twinning, on_delete=models.CASCADE, null=True, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)
    # Counted for people whose data was since deleted (retention, own account deletion):
    # a refresh rebuilds the other rows only (services/metrics_kept.py).
    kept = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.count} joined on {self.day} (twinning {self.twinning_id})"


class MatchDay(models.Model):
    """A program's matches on one twinning, counted by what the figures ask of them: by
    UTC day proposed, those answered and those accepted; by day activated; the activated
    ones by day ended (with their day activated); and by status (``day`` NEVER). Kept by
    database triggers on the match table (migrations 0014-0015), so every write counts,
    bulk updates and the admin included, and rebuilt nightly (services/metrics_matches.py).
    Plain ids, no foreign keys: a match deleted with its program takes its counts back to
    zero through the same triggers."""

    NEVER = dt.date(1, 1, 1)

    class Kind(models.TextChoices):
        ANSWERED = "answered"
        ACCEPTED = "accepted"
        ACTIVATED = "activated"
        ENDED = "ended"
        STATUS = "status"

    program_id = models.BigIntegerField()
    twinning_id = models.BigIntegerField()
    kind = models.CharField(max_length=9, choices=Kind.choices)
    status = models.CharField(max_length=10, blank=True, default="")
    day = models.DateField()
    activated_day = models.DateField()  # of the ended ones; NEVER for the others
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program_id", "twinning_id", "kind", "status", "day", "activated_day"],
                name="matchday_one_row_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.count} {self.kind} {self.status} in program {self.program_id} on {self.day}"


class SummaryMark(models.Model):
    """Until when a summary was last refreshed, so the beat task works incrementally (and
    the figures say how fresh they are)."""

    METRICS = "metrics"  # the officers' figures (services/metrics.py metrics_refresh)

    name = models.CharField(max_length=40, primary_key=True)
    refreshed_until = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} until {self.refreshed_until}"
