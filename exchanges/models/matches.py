import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from exchanges.models.people import Participant
from exchanges.models.places import Twinning
from exchanges.models.programs import Program


class MatchRun(models.Model):
    """One run of the matching engine over a program's free participants."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("matching run status", "Queued")
        RUNNING = "running", pgettext_lazy("matching run status", "Running")
        DONE = "done", pgettext_lazy("matching run status", "Done")
        FAILED = "failed", pgettext_lazy("matching run status", "Failed")

    # Workers that may claim a run before a run whose worker keeps stopping is failed.
    MAX_ATTEMPTS = 3

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="match_runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    parameters = models.JSONField(default=dict, blank=True)
    participants_count = models.PositiveIntegerField(default=0)
    candidate_edges = models.PositiveIntegerField(default=0)
    pairs_count = models.PositiveIntegerField(default=0)
    matched_places = models.PositiveIntegerField(default=0)
    unmatched_count = models.PositiveIntegerField(default=0)
    total_score = models.FloatField(default=0)
    seconds = models.FloatField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        "exchanges.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The lease (exchanges/services/matching_lease.py). A worker killed mid-run leaves its
    # task unacknowledged in Redis for the visibility timeout (an hour), so the run says
    # itself whether anyone holds it: the last sign of life (when it was queued, then its
    # worker's heartbeats), how many workers claimed it (also the fencing token for
    # storing a result), and how many of them stopped without finishing.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    workers_lost = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Two runs of one program at once would propose the same free people twice:
            # a new run waits until the queued or running one has finished.
            models.UniqueConstraint(
                fields=["program"],
                condition=Q(status__in=["queued", "running"]),
                name="matchrun_one_in_progress_per_program",
            ),
        ]

    def __str__(self) -> str:
        return f"Run {self.pk} of {self.program} ({self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def workers_all_lost(self) -> bool:
        """Failed because every worker that claimed it stopped (``error`` says so in
        English for the log; pages say it in the reader's language)."""
        return (self.status == self.Status.FAILED and self.attempts >= self.MAX_ATTEMPTS
                and self.workers_lost >= self.attempts)


class Match(models.Model):
    """Two participants paired by the engine; active once both accepted."""

    # A proposal not accepted by both within this many days lapses
    # (services/match_expiry.py): an absent partner would otherwise hold the other's
    # place for good, and no later run would look for them again.
    ANSWER_DAYS = 7
    EXPIRED = "expired"  # the ended_reason of a lapsed proposal

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("match status", "Proposed")
        ACTIVE = "active", pgettext_lazy("match status", "Active")
        DECLINED = "declined", pgettext_lazy("match status", "Declined")
        ENDED = "ended", pgettext_lazy("match status", "Ended")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="matches")
    run = models.ForeignKey(
        MatchRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="matches"
    )
    twinning = models.ForeignKey(Twinning, on_delete=models.PROTECT, related_name="matches")
    participant_a = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="matches_as_a"
    )
    participant_b = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="matches_as_b"
    )
    score = models.FloatField(default=0)
    explanation = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    a_accepted_at = models.DateTimeField(null=True, blank=True)
    b_accepted_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    flagged = models.BooleanField(default=False, help_text="Repeated missed sessions")
    ended_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "matches"
        constraints = [
            models.CheckConstraint(
                condition=~Q(participant_a=models.F("participant_b")), name="match_two_people"
            ),
            # At most one live (proposed or active) match per pair and program.
            models.UniqueConstraint(
                fields=["program", "participant_a", "participant_b"],
                condition=Q(status__in=["proposed", "active"]),
                name="match_one_live_per_pair",
            ),
        ]
        indexes = [models.Index(fields=["status", "program"])]

    def __str__(self) -> str:
        return f"{self.participant_a} ↔ {self.participant_b} ({self.status})"

    @property
    def members(self) -> tuple[Participant, Participant]:
        return (self.participant_a, self.participant_b)

    def has_member(self, participant: Participant | None) -> bool:
        return participant is not None and participant.pk in (
            self.participant_a_id, self.participant_b_id
        )

    def partner_of(self, participant: Participant) -> Participant:
        return self.participant_b if participant.pk == self.participant_a_id else self.participant_a

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def answer_by(self) -> dt.datetime:
        """When a proposal still waiting for an answer lapses."""
        return self.created_at + dt.timedelta(days=self.ANSWER_DAYS)

    @property
    def has_ended(self) -> bool:
        """Declined or ended: nothing more happens between the two through this match."""
        return self.status in (self.Status.DECLINED, self.Status.ENDED)


class Block(models.Model):
    """One participant blocked another: their room closes and they are never matched."""

    blocker = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="blocks_received"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocked {self.blocked}"


class BlockedAddress(models.Model):
    """A block that outlives the blocked person's account: a keyed digest of their
    address (``pure/address_digest.py``), so that signing up again with it restores the
    block. The address itself is not kept."""

    blocker = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="blocked_addresses"
    )
    digest = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "digest"], name="blocked_address_once")
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocked a former account"
