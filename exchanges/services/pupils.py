"""Pupils: join with a class code, log in with code + name + password, and what their
teacher does for them (add by names, login cards, password reset, removal).

A pupil gives no e-mail address, birth date or city: the account carries a unique
synthetic address under the reserved ``.invalid`` domain that is never shown nor
mailed, and the class gives the city and the age band.
"""

import re
import unicodedata
import uuid
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exchanges.models import Classroom, Participant, User
from exchanges.pure.card_passwords import CardPasswordHasher, card_password, is_card_hash
from exchanges.pure.text_safety import JOINERS, NameRefused, has_visible, name_clean
from exchanges.selectors.classrooms import classroom_by_code, classroom_pupils, pupil_by_name
from exchanges.selectors.teachers import teacher_is_approved
from exchanges.services.account_delete_limits import signed_in_password_refusal
from exchanges.services.join_limits import join_blocked, join_failure_record
from exchanges.services.metrics import pupil_counts_forget, pupil_counts_of
from exchanges.services.notifications import notifications_naming_pupils_delete
from exchanges.services.pupil_pairing import pupil_admit_to_exchanges
from exchanges.services.pupil_rehoming import pupil_partners_rehome
from exchanges.services.rooms import pupil_rooms_retitle_without
from exchanges.services.typed_text import name_refusal, name_refused

PUPIL_EMAIL_DOMAIN = "pupils.invalid"
MAX_PUPILS = 60
NAME_MIN, NAME_MAX, NAME_WORDS = 2, 40, 3
_NAME = re.compile(r"^[^\W\d_][^\W\d_ '’.-]*(?:[ '’.-]+[^\W\d_]*)*$")
# English here, translated where raised (gettext_noop only marks them for the catalogue).
WRONG_LOGIN = gettext_noop("The class code, name or password is wrong.")
WRONG_CODE = gettext_noop("This class code is wrong or has expired: ask your teacher for it.")
TOO_MANY = gettext_noop("Too many wrong tries: wait a quarter of an hour, or ask your teacher.")
NAME_TAKEN = gettext_noop("Someone called %(name)s is in this class already: add your "
                          "surname's initial, or log in.")


@dataclass(frozen=True)
class LoginCard:
    """What a teacher prints for one pupil; the password is shown once, never stored."""

    pupil: Participant
    display_name: str
    code: str
    password: str


def pupil_email() -> str:
    return f"{uuid.uuid4().hex}@{PUPIL_EMAIL_DOMAIN}"


def _card_password_set(user: User, password: str) -> None:
    """A card's random password, hashed quickly (pure.card_passwords says why it is safe);
    the first login re-hashes it with the default hasher."""
    user.password = make_password(password, hasher=CardPasswordHasher.algorithm)


def _base_letters(name: str) -> str:
    """``name`` without the marks and joiners that sit on or between letters: Devanagari's
    vowel signs and viramas, accents, Persian's ZWNJ are parts of letters, not separators.
    One that follows no letter is kept, so the letters-only pattern refuses it."""
    kept: list[str] = []
    for ch in name:
        sits_on_letter = kept and kept[-1].isalpha()
        if sits_on_letter and (unicodedata.category(ch).startswith("M") or ch in JOINERS):
            continue
        kept.append(ch)
    return "".join(kept)


def clean_display_name(value: str) -> str:
    """First name and initial ("Amelia K."): letters only, so no e-mail or number fits;
    nothing invisible, so two pupils cannot look alike nor one look nameless."""
    try:
        name = name_clean(value)
    except NameRefused as exc:
        raise ValidationError({"display_name": name_refusal(exc)}) from None
    if _name_problem(name) is not None:
        raise ValidationError(
            {"display_name": _("Use your first name and the initial of your surname, "
                               "letters only (like Amelia K.).")}
        )
    return name


def _shown(name: str) -> str:
    """The name as a teacher can read it in a message: invisible characters by code."""
    return "".join(
        f"[U+{ord(ch):04X}]" if unicodedata.category(ch) in {"Cc", "Cf"} else ch for ch in name
    )


def _name_problem(name: str) -> str | None:
    """Why a whitespace-normalised name is refused, in the teacher's words; None if fine."""
    hidden = name_refused(name)
    if hidden is not None:
        return hidden
    if len(name) < NAME_MIN:
        return _("too short: give the first name and the initial of the surname.")
    if len(name) > NAME_MAX:
        return _("%(count)s characters long; a name holds at most %(max)s.") % {
            "count": len(name), "max": NAME_MAX}
    if len(name.split()) > NAME_WORDS:
        return _("more than %(max)s words: give the first name and the initial of the "
                 "surname.") % {"max": NAME_WORDS}
    if not _NAME.match(_base_letters(name)):
        return _("letters only (with spaces, hyphens, apostrophes and full stops), "
                 "like Amelia K.")
    return None


def _line_error(line: int, name: str, problem: str) -> str:
    return _("Line %(line)s (“%(name)s”): %(problem)s") % {
        "line": line, "name": _shown(name), "problem": problem}


def _code(value: str) -> str:
    return (value or "").strip().upper().replace("-", "").replace(" ", "")


def _password_checked(password: str, user: User) -> None:
    """The validators' refusals on the password field, where the pupil types it again."""
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None


def _create(classroom: Classroom, display_name: str, password: str, *, temporary: bool):
    if pupil_by_name(classroom=classroom, display_name=display_name) is not None:
        raise ValidationError({"display_name": _(NAME_TAKEN) % {"name": display_name}})
    user = User(email=pupil_email(), display_name=display_name, is_pupil=True,
                must_set_password=temporary)
    _password_checked(password, user)
    if temporary:
        _card_password_set(user, password)
    else:
        user.set_password(password)
    user.save()
    pupil = Participant.objects.create(
        user=user, classroom=classroom, city=classroom.city, tz=classroom.city.tz,
        onboarded_at=timezone.now(),
    )
    # Into the class room of each live exchange (and a group, once the pairs are final).
    pupil_admit_to_exchanges(pupil=pupil)
    return pupil


@transaction.atomic
def pupil_join(*, code: str, display_name: str, password: str, ip: str) -> User:
    code = _code(code)
    if join_blocked(ip=ip, code=code):
        raise ValidationError(_(TOO_MANY))
    classroom = classroom_by_code(code=code)
    known = _known_pupil(classroom, display_name) if classroom is not None else None
    # A pupil already in the class (a printed card's, or one who joined before) who uses
    # the page's first form is signed in by the same check as logging in, rather than
    # sent to take another name, which would make them a second account.
    if known is not None and known.user.is_active and known.user.check_password(password):
        return known.user
    if classroom is None or not classroom.join_code_admits:
        # A wrong password for a pupil in the class counts as a guess at it, as on login.
        join_failure_record(ip=ip, code=code if known is not None else None)
        raise ValidationError({"code": _(WRONG_CODE)})
    if known is not None:
        join_failure_record(ip=ip, code=code)
        raise ValidationError({"display_name": _(NAME_TAKEN) % {"name": display_name}})
    if not teacher_is_approved(user=classroom.teacher):
        raise ValidationError({"code": _("Your class is not open yet: ask your teacher.")})
    name = clean_display_name(display_name)
    # One join at a time per class, so two pupils cannot take the same name.
    classroom = Classroom.objects.select_for_update().select_related("city").get(pk=classroom.pk)
    if classroom_pupils(classroom=classroom).count() >= MAX_PUPILS:
        raise ValidationError(_("This class is full: ask your teacher."))
    return _create(classroom, name, password, temporary=False).user


def _known_pupil(classroom: Classroom, display_name: str) -> Participant | None:
    # Names are stored in NFC: "é" typed as e + a combining accent finds its owner too.
    display_name = unicodedata.normalize("NFC", display_name or "")
    return pupil_by_name(classroom=classroom, display_name=display_name)


def pupil_login(*, code: str, display_name: str, password: str, ip: str) -> User:
    """The pupil whose code, name and password match; the code works for pupils already
    in the class after it stops admitting new ones (until the teacher rotates it)."""
    code = _code(code)
    if join_blocked(ip=ip, code=code):
        raise ValidationError(_(TOO_MANY))
    classroom = classroom_by_code(code=code)
    if classroom is None:
        join_failure_record(ip=ip)
        raise ValidationError(_(WRONG_LOGIN))
    pupil = _known_pupil(classroom, display_name)
    if pupil is None:
        User().set_password(password)  # the same work as a real check: no timing tell
    elif pupil.user.is_active and pupil.user.check_password(password):
        return pupil.user
    elif is_card_hash(pupil.user.password):
        # A card's check is quick: the same work as the others, or a wrong guess's time
        # would tell which names in the class still hold a card.
        User().set_password(password)
    join_failure_record(ip=ip, code=code)
    raise ValidationError(_(WRONG_LOGIN))


@transaction.atomic
def pupil_password_set(*, user: User, password: str, current: str = "") -> User:
    """The card's one-time password replaced; or, once the pupil chose one, changed by
    someone who types it (``current``), as an adult's is, wrong tries limited."""
    if not user.is_pupil:
        raise PermissionDenied(_("Only pupils set their password here."))
    if not user.must_set_password:
        refused = signed_in_password_refusal(user=user, password=current)
        if refused:
            raise ValidationError({"current": refused})
    _password_checked(password, user)
    user.set_password(password)
    user.must_set_password = False
    user.save(update_fields=["password", "must_set_password"])
    return user


def _teacher_of(classroom: Classroom, by) -> None:
    if classroom.teacher_id != by.pk:
        raise PermissionDenied(_("That is not your class."))
    if not teacher_is_approved(user=by):
        raise PermissionDenied(_("Your teacher application must be approved before pupils join."))


@transaction.atomic
def pupils_add(*, classroom: Classroom, by, names: list[str]) -> list[LoginCard]:
    """Pupils from a list of names, each with a one-time password for their card."""
    _teacher_of(classroom, by)
    classroom = Classroom.objects.select_for_update().select_related("city").get(pk=classroom.pk)
    cleaned, errors, first_line = [], [], {}
    taken = {
        name.lower() for name in
        classroom_pupils(classroom=classroom).values_list("user__display_name", flat=True)
    }
    for line, raw in enumerate(names, start=1):
        if not has_visible(raw):  # a blank line, perhaps of zero-width spaces
            continue
        name = " ".join(unicodedata.normalize("NFC", raw).split())
        problem = _name_problem(name)
        if problem is None and name.lower() in first_line:
            problem = _("the same name as line %(first)s: add or change the surname's "
                        "initial.") % {"first": first_line[name.lower()]}
        if problem is None and name.lower() in taken:
            problem = _("a pupil of this name is in the class already: add or change the "
                        "surname's initial.")
        if problem is None:
            cleaned.append(name)
            first_line[name.lower()] = line
        else:
            errors.append(_line_error(line, name, problem))
    if errors:
        raise ValidationError({"names": errors})
    if not cleaned:
        raise ValidationError({"names": _("Give at least one name.")})
    if classroom_pupils(classroom=classroom).count() + len(cleaned) > MAX_PUPILS:
        raise ValidationError(
            {"names": _("A class holds at most %(max)s pupils.") % {"max": MAX_PUPILS}}
        )
    cards = []
    for name in cleaned:
        password = card_password()
        pupil = _create(classroom, name, password, temporary=True)
        cards.append(LoginCard(pupil, name, classroom.join_code, password))
    return cards


def _reset(pupil: Participant, code: str) -> LoginCard:
    password = card_password()
    user = pupil.user
    _card_password_set(user, password)
    user.must_set_password = True
    user.save(update_fields=["password", "must_set_password"])
    return LoginCard(pupil, user.display_name, code, password)


@transaction.atomic
def pupil_password_reset(*, pupil: Participant, by) -> LoginCard:
    """A new one-time password (the old one stops working); the pupil sets their own
    at the next login."""
    _teacher_of(pupil.classroom, by)
    return _reset(pupil, pupil.classroom.join_code)


@transaction.atomic
def login_cards_print(*, classroom: Classroom, by) -> list[LoginCard]:
    """Cards for every pupil of the class: each gets a new one-time password."""
    _teacher_of(classroom, by)
    return [_reset(pupil, classroom.join_code) for pupil in classroom_pupils(classroom=classroom)]


@transaction.atomic
def pupil_remove(*, pupil: Participant, by) -> None:
    """The pupil's account goes, with everything it wrote and the notices in others'
    bells that name the pupil. The officers' figures stop counting them at once (their
    attendance and summaries go with them)."""
    if pupil.classroom is None or pupil.classroom.teacher_id != by.pk:
        raise PermissionDenied(_("That is not your pupil."))
    counted = pupil_counts_of(pupil=pupil)
    pupil_partners_rehome(leaving=pupil)
    notifications_naming_pupils_delete(pupils=[pupil.user])
    pupil_rooms_retitle_without(users=[pupil.user])
    pupil.user.delete()
    pupil_counts_forget(counted=counted)
