"""Everything the platform holds about a person, for them to take away (their right of
access): their account, profile, matches (with their scores and explanations, the weekly
slots and session moves proposed in them) and sessions, what they wrote and what they were
told. Partners appear as the partners see each other (first name and city), and only the
person's own messages are included: what partners wrote is theirs."""

import datetime as dt

from allauth.account.models import EmailAddress
from django.db.models import Q
from django.utils import timezone

from exchanges.models import (
    Attendance,
    Block,
    Correction,
    Match,
    Message,
    Notification,
    Participant,
    Report,
    Session,
    SlotProposal,
    TeacherApplication,
)
from exchanges.pure.explanations import explanation_sentences
from exchanges.pure.window_ends import end_text
from exchanges.selectors.notification_text import notification_text
from exchanges.selectors.participants import participant_for_user


def _when(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value else None


def own_data(*, user) -> dict:
    participant = participant_for_user(user=user)
    return {
        "exported_at": _when(timezone.now()),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "interface_language": user.language,
            "joined_at": _when(user.date_joined),
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user).order_by("email")
            ],
        },
        "profile": _profile(participant) if participant else None,
        "matches": _matches(participant) if participant else [],
        "blocks": [
            {"blocked": b.blocked.user.public_name, "at": _when(b.created_at)}
            for b in Block.objects.filter(blocker=participant).select_related("blocked__user")
        ] if participant else [],
        "messages": [
            {"room": m.room_id, "with": _room_partner(m.room, user), "sent_at": _when(m.created_at),
             "body": m.body, "lang": m.lang, "hidden_by_a_moderator": m.hidden_at is not None}
            for m in Message.objects.filter(author=user).select_related(
                "room__match__participant_a__user", "room__match__participant_b__user",
            ).order_by("created_at", "id")
        ],
        "corrections": [
            {"message": c.message_id, "at": _when(c.created_at), "corrected": c.corrected}
            for c in Correction.objects.filter(author=user).order_by("created_at", "id")
        ],
        "reports": [
            {"message": r.message_id, "at": _when(r.created_at), "reason": r.reason,
             "status": r.status}
            for r in Report.objects.filter(reporter=user).order_by("created_at", "id")
        ],
        "notifications": [
            {"at": _when(n.created_at), "text": notification_text(n),
             "read_at": _when(n.read_at)}
            for n in Notification.objects.filter(user=user).order_by("created_at", "id")
        ],
        "teacher_applications": [
            {"school": a.school, "city": a.city.name, "role_at_school": a.role_at_school,
             "verification": a.verification, "status": a.status,
             "decided_at": _when(a.decided_at)}
            for a in TeacherApplication.objects.filter(user=user).select_related("city")
        ],
    }


def _room_partner(room, user) -> str | None:
    """The partner's first name in a match's room; None in a class's room."""
    match = room.match
    if match is None:
        return None
    a, b = match.participant_a.user, match.participant_b.user
    return (b if a.pk == user.pk else a).public_name


def _profile(participant: Participant) -> dict:
    return {
        "city": participant.city and f"{participant.city.name}, {participant.city.country}",
        "time_zone": participant.tz,
        "birth_year": participant.birth_year,
        "bio": participant.bio,
        "partners_at_once": participant.capacity,
        "languages": [
            {"code": lang.code, "level": lang.level, "learning": lang.learning}
            for lang in participant.languages.all()
        ],
        "interests": sorted(i.name for i in participant.interests.all()),
        "weekly_times": [
            {"weekday": w.weekday, "start": w.start.isoformat("minutes"),
             "end": end_text(w.end)}
            for w in participant.availability.all()
        ],
        "programs": sorted(p.name for p in participant.programs.all()),
        "email_reminders": participant.email_reminders,
        "new_matches_paused": participant.matching_paused,
    }


def _matches(participant: Participant) -> list[dict]:
    matches = (
        Match.objects.filter(Q(participant_a=participant) | Q(participant_b=participant))
        .select_related("program", "participant_a__user", "participant_a__city",
                        "participant_b__user", "participant_b__city")
        .order_by("created_at", "id")
    )
    attended = dict(
        Attendance.objects.filter(participant=participant).values_list("session_id", "status")
    )
    sessions: dict[int, list[dict]] = {}
    for s in Session.objects.filter(match__in=matches).order_by("starts_at", "id"):
        sessions.setdefault(s.match_id, []).append({
            "starts_at": _when(s.starts_at), "minutes": s.minutes, "status": s.status,
            "your_attendance": attended.get(s.pk),
            # Who cancelled it is kept (to answer a second cancel): the file says if it was you.
            "cancelled_by_you": s.cancelled_by_id == participant.pk if s.cancelled_by_id else None,
            "move_proposed": {"to": _when(s.move_to),
                              "by_you": s.move_proposed_by_id == participant.pk}
            if s.move_to else None,
        })
    # Both partners' proposals: each sees the other's on the match's schedule page.
    slots: dict[int, list[dict]] = {}
    for p in SlotProposal.objects.filter(match__in=matches).order_by("created_at", "id"):
        slots.setdefault(p.match_id, []).append({
            "by_you": p.proposed_by_id == participant.pk,
            "first_start": _when(p.first_start), "time_zone": p.anchor_tz,
            "minutes": p.minutes, "status": p.status, "proposed_at": _when(p.created_at),
            "confirmed_at": _when(p.confirmed_at),
        })
    rows = []
    for match in matches:
        partner = match.partner_of(participant)
        rows.append({
            "program": match.program.name,
            "partner": partner.user.public_name,
            "partner_city": partner.city.name if partner.city else None,
            "status": match.status,
            "proposed_at": _when(match.created_at),
            "active_from": _when(match.activated_at),
            "ended_at": _when(match.ended_at),
            "ended_reason": match.ended_reason,
            **_why(match, participant, partner),
            "slot_proposals": slots.get(match.pk, []),
            "sessions": sessions.get(match.pk, []),
        })
    return rows


def _why(match: Match, participant: Participant, partner: Participant) -> dict:
    """The match's score and explanation as the person reads them on their dashboard,
    with the score's parts (facts about the pair); the partner's own waiting time, which
    the stored explanation also holds, stays out."""
    explanation = match.explanation or {}
    return {
        "score": match.score,
        "explanation": explanation_sentences(
            explanation=explanation, viewer_id=participant.pk,
            partner_name=partner.user.public_name),
        "score_parts": explanation.get("parts", {}),
        "shared_interests": explanation.get("shared_interests", []),
        "shared_hours_per_week": explanation.get("overlap_hours_per_week"),
        "your_waiting_days": (explanation.get("waiting_days") or {}).get(str(participant.pk)),
    }
