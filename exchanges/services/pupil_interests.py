"""A pupil's interests, picked from the fixed list (the pairing explains groups by them)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exchanges.models import Interest, Participant
from exchanges.pure.pupil_pairs import INTEREST_NAMES, MAX_PUPIL_INTERESTS


@transaction.atomic
def pupil_interests_set(*, pupil: Participant, by, slugs: list[str]) -> list[str]:
    """The pupil's interests, picked from the fixed list by the pupil or their teacher."""
    if pupil.classroom is None:
        raise PermissionDenied(_("Only pupils pick interests here."))
    if by.pk != pupil.user_id and by.pk != pupil.classroom.teacher_id:
        raise PermissionDenied(_("Only the pupil or their teacher picks these interests."))
    chosen = sorted(set(slugs))
    unknown = [slug for slug in chosen if slug not in INTEREST_NAMES]
    if unknown:
        raise ValidationError({"interests": _("Pick interests from the list.")})
    if len(chosen) > MAX_PUPIL_INTERESTS:
        raise ValidationError({"interests": ngettext(
            "Pick at most %(max)d interest.", "Pick at most %(max)d interests.",
            MAX_PUPIL_INTERESTS) % {"max": MAX_PUPIL_INTERESTS}})
    interests = []
    for slug in chosen:
        interest, _created = Interest.objects.get_or_create(
            slug=slug, defaults={"name": INTEREST_NAMES[slug]}
        )
        interests.append(interest)
    pupil.interests.set(interests)
    return chosen
