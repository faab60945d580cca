import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from exchanges.models.people import Participant
from exchanges.models.places import Twinning
from exchanges.models.programs import Program
from exchanges.pure.program_end import ANSWER_DAYS


class MatchRun(models.Model):
    """One run of the matching engine over a program's free participants."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("matching run status", "Queued")
        RUNNING = "running", pgettext_lazy("matching run status", "Running")
        DONE = "done", pgettext_lazy("matching run status", "Done")
        FAILED = "failed", pgettext_lazy("matching run status", "Failed")

    # Workers that may claim a run before a run whose worker keeps stopping is failed.
    MAX_ATTEMPTS = 3

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="match_runs", verbose_name=_("program")
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.QUEUED,
        verbose_name=pgettext_lazy("model field", "status"),
    )
    parameters = models.JSONField(default=dict, blank=True, verbose_name=_("parameters"))
    participants_count = models.PositiveIntegerField(
        default=0, verbose_name=_("number of participants")
    )
    candidate_edges = models.PositiveIntegerField(default=0, verbose_name=_("candidate pairs"))
    pairs_count = models.PositiveIntegerField(default=0, verbose_name=_("number of pairs"))
    matched_places = models.PositiveIntegerField(default=0, verbose_name=_("matched places"))
    unmatched_count = models.PositiveIntegerField(
        default=0, verbose_name=_("number left unmatched")
    )
    total_score = models.FloatField(default=0, verbose_name=_("total score"))
    seconds = models.FloatField(default=0, verbose_name=_("seconds"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    requested_by = models.ForeignKey(
        "exchanges.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    # The lease (exchanges/services/matching_lease.py). A worker killed mid-run leaves its
    # task unacknowledged in Redis for the visibility timeout (an hour), so the run says
    # itself whether anyone holds it: the last sign of life (when it was queued, then its
    # worker's heartbeats), how many workers claimed it (also the fencing token for
    # storing a result), and how many of them stopped without finishing.
    heartbeat_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last heartbeat"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    workers_lost = models.PositiveSmallIntegerField(default=0, verbose_name=_("workers lost"))

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
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
    ANSWER_DAYS = ANSWER_DAYS
    EXPIRED = "expired"  # the ended_reason of a lapsed proposal

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("match status", "Proposed")
        ACTIVE = "active", pgettext_lazy("match status", "Active")
        DECLINED = "declined", pgettext_lazy("match status", "Declined")
        ENDED = "ended", pgettext_lazy("match status", "Ended")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="matches", verbose_name=_("program")
    )
    run = models.ForeignKey(
        MatchRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matches",
        verbose_name=_("matching run"),
    )
    twinning = models.ForeignKey(
        Twinning, on_delete=models.PROTECT, related_name="matches", verbose_name=_("twinning")
    )
    participant_a = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="matches_as_a",
        verbose_name=_("participant A"),
    )
    participant_b = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="matches_as_b",
        verbose_name=_("participant B"),
    )
    score = models.FloatField(default=0, verbose_name=_("score"))
    explanation = models.JSONField(default=dict, blank=True, verbose_name=_("explanation"))
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PROPOSED,
        verbose_name=pgettext_lazy("model field", "status"),
    )
    a_accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("accepted by A at"))
    b_accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("accepted by B at"))
    declined_by = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("declined by"),
    )
    flagged = models.BooleanField(
        default=False, help_text=_("Repeated missed sessions"), verbose_name=_("flagged")
    )
    ended_reason = models.CharField(max_length=200, blank=True, verbose_name=_("reason for ending"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    activated_at = models.DateTimeField(null=True, blank=True, verbose_name=_("activated at"))
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ended at"))

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-created_at"]
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

    blocker = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="blocks_made",
        verbose_name=_("blocked by"),
    )
    blocked = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="blocks_received",
        verbose_name=_("blocked person"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
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
