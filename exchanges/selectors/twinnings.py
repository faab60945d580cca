from django.db.models import Count, Q, QuerySet

from exchanges.models import City, Twinning


def twinnings_for_listing() -> QuerySet[Twinning]:
    return Twinning.objects.select_related("city_a", "city_b").order_by(
        "city_a__name", "city_b__name"
    )


def twinning_counts() -> dict[str, int]:
    return Twinning.objects.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(status=Twinning.Status.ACTIVE)),
        suspended=Count("id", filter=Q(status=Twinning.Status.SUSPENDED)),
        terminated=Count("id", filter=Q(status=Twinning.Status.TERMINATED)),
    )


def cities_with_active_twinning(*, also_city_id: int | None = None) -> QuerySet[City]:
    """``also_city_id``: a city listed whatever its twinnings (a person's own)."""
    active = Twinning.Status.ACTIVE
    listed = Q(twinnings_as_a__status=active) | Q(twinnings_as_b__status=active)
    if also_city_id is not None:
        listed |= Q(pk=also_city_id)
    return (
        City.objects.filter(listed)
        .distinct()
        .order_by("name", "country")
    )


def twinning_of_cities(*, city_a_id: int, city_b_id: int, exclude_id: int | None = None
                       ) -> Twinning | None:
    """The twinning of the two cities, whichever of them is its city A."""
    found = Twinning.objects.filter(
        Q(city_a_id=city_a_id, city_b_id=city_b_id) | Q(city_a_id=city_b_id, city_b_id=city_a_id)
    ).select_related("city_a", "city_b")
    if exclude_id is not None:
        found = found.exclude(pk=exclude_id)
    return found.first()


def suspended_twins_of_city(*, city_id: int | None) -> list[str]:
    """The names of the partner cities of ``city_id``'s suspended twinnings, when none of
    its twinnings is active (a suspension then is why no program can match its people);
    empty otherwise."""
    if city_id is None:
        return []
    of_city = Twinning.objects.filter(Q(city_a_id=city_id) | Q(city_b_id=city_id))
    if of_city.filter(status=Twinning.Status.ACTIVE).exists():
        return []
    suspended = of_city.filter(status=Twinning.Status.SUSPENDED).select_related("city_a", "city_b")
    return sorted(
        (t.city_b if t.city_a_id == city_id else t.city_a).name for t in suspended
    )
