"""A city's region (ISO 3166-2), set by an officer whose program includes the city."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from exchanges.models import AuditEvent, City, Twinning, User
from exchanges.selectors.lifecycle import twinnings_for_officer


@transaction.atomic
def city_region_set(*, city: City, by: User, region: str) -> City:
    """Record the city's subdivision (``""`` clears it); it decides which restrictive-law
    notes the officers' twinning pages show, and nothing else."""
    theirs = twinnings_for_officer(user=by).filter(Q(city_a=city) | Q(city_b=city))
    if not by.is_superuser and not theirs.exists():
        raise PermissionDenied(
            _("Only an officer of a program with this city can set its region.")
        )
    city = City.objects.select_for_update().get(pk=city.pk)
    previous = city.region
    city.region = (region or "").strip().upper()
    city.full_clean(exclude=["name", "country", "tz", "kind", "languages"], validate_unique=False)
    if city.region != previous:
        city.save(update_fields=["region"])
        AuditEvent.objects.create(
            actor=by, verb="city.region_set", target=f"city:{city.pk}",
            data={"city": str(city), "from": previous, "to": city.region},
        )
    return city


@transaction.atomic
def twinning_regions_set(*, twinning: Twinning, by: User, region_a: str, region_b: str) -> None:
    """Both cities' regions from the twinning page, together or not at all."""
    city_region_set(city=twinning.city_a, by=by, region=region_a)
    city_region_set(city=twinning.city_b, by=by, region=region_b)
