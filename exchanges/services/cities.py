"""A city's region (ISO 3166-2), set by an officer whose program includes the city."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from exchanges.models import AuditEvent, City, Twinning, User
from exchanges.selectors.lifecycle import twinnings_for_officer


def _check_may_set(city: City, by: User) -> None:
    theirs = twinnings_for_officer(user=by).filter(Q(city_a=city) | Q(city_b=city))
    if not by.is_superuser and not theirs.exists():
        raise PermissionDenied(
            _("Only an officer of a program with this city can set its region.")
        )


def _checked(city: City, region: str) -> tuple[City, str]:
    """The locked city with its new region, validated and not saved; and its region before."""
    city = City.objects.select_for_update().get(pk=city.pk)
    previous = city.region
    city.region = (region or "").strip().upper()
    city.full_clean(exclude=["name", "country", "tz", "kind", "languages"], validate_unique=False)
    return city, previous


def _save_region(city: City, previous: str, by: User) -> None:
    if city.region != previous:
        city.save(update_fields=["region"])
        AuditEvent.objects.create(
            actor=by, verb="city.region_set", target=f"city:{city.pk}",
            data={"city": str(city), "from": previous, "to": city.region},
        )


@transaction.atomic
def city_region_set(*, city: City, by: User, region: str) -> City:
    """Record the city's subdivision (``""`` clears it); it decides which restrictive-law
    notes the officers' twinning pages show, and nothing else."""
    _check_may_set(city, by)
    city, previous = _checked(city, region)
    _save_region(city, previous, by)
    return city


@transaction.atomic
def twinning_regions_set(*, twinning: Twinning, by: User, region_a: str, region_b: str) -> None:
    """Both cities' regions from the twinning page, together or not at all: both are
    checked (and every refusal told, at its field) before either is saved."""
    sides = {"region_a": (twinning.city_a, region_a), "region_b": (twinning.city_b, region_b)}
    for city, _region in sides.values():
        _check_may_set(city, by)
    # Locked in one order (by id), as another twinning may hold the same cities reversed.
    locked, errors = {}, {}
    for field, (city, region) in sorted(sides.items(), key=lambda side: side[1][0].pk):
        try:
            locked[field] = _checked(city, region)
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise ValidationError(errors)
    for city, previous in locked.values():
        _save_region(city, previous, by)
