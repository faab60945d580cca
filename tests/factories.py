"""factory_boy factories shared by the whole suite."""

import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from exchanges import models as m


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    display_name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.City
        django_get_or_create = ("name", "country")

    name = factory.Sequence(lambda n: f"City {n}")
    country = "GB"
    tz = "Europe/London"
    languages = factory.LazyFunction(lambda: ["en"])


class TwinningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Twinning

    city_a = factory.SubFactory(CityFactory)
    city_b = factory.SubFactory(
        CityFactory, country="DE", tz="Europe/Berlin", languages=["de"]
    )
    since = datetime.date(1956, 1, 1)
    since_precision = "year"
    status = m.Twinning.Status.ACTIVE
    kind = "twin town"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Program
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Tandem program {n}")
    slug = factory.Sequence(lambda n: f"tandem-{n}")
    kind = m.Program.Kind.TANDEM
    start_date = factory.LazyFunction(lambda: timezone.now().date() + datetime.timedelta(days=7))
    weeks = 12

    @factory.post_generation
    def twinnings(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.twinnings.set(extracted)


class ParticipantFactory(factory.django.DjangoModelFactory):
    """A complete adult profile; pass ``speaks``/``learns`` as {"en": "native"} dicts."""

    class Meta:
        model = m.Participant
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    city = factory.SubFactory(CityFactory)
    tz = factory.LazyAttribute(lambda o: o.city.tz if o.city else "")
    birth_year = 1995
    capacity = 1
    onboarded_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def speaks(obj, create, extracted, **kwargs):
        if create:
            for code, level in (extracted or {"en": "native"}).items():
                m.ParticipantLanguage.objects.create(
                    participant=obj, code=code, level=level, learning=False
                )

    @factory.post_generation
    def learns(obj, create, extracted, **kwargs):
        if create:
            for code, level in (extracted or {"de": "B1"}).items():
                m.ParticipantLanguage.objects.create(
                    participant=obj, code=code, level=level, learning=True
                )

    @factory.post_generation
    def windows(obj, create, extracted, **kwargs):
        # Default: weekday evenings 18:00–21:00 local time.
        if create:
            spec = extracted if extracted is not None else [(d, "18:00", "21:00") for d in range(5)]
            for weekday, start, end in spec:
                m.AvailabilityWindow.objects.create(
                    participant=obj,
                    weekday=weekday,
                    start=datetime.time.fromisoformat(start),
                    end=datetime.time.fromisoformat(end),
                )


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Match

    program = factory.SubFactory(ProgramFactory)
    twinning = factory.SubFactory(TwinningFactory)
    participant_a = factory.SubFactory(
        ParticipantFactory, city=factory.SelfAttribute("..twinning.city_a")
    )
    participant_b = factory.SubFactory(
        ParticipantFactory,
        city=factory.SelfAttribute("..twinning.city_b"),
        speaks={"de": "native"},
        learns={"en": "B2"},
    )
    score = 0.8
    explanation = factory.LazyFunction(dict)
    status = m.Match.Status.PROPOSED


def officer_of(program: m.Program) -> m.User:
    """A new user in the officers' group, an officer of ``program``."""
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=m.Role.OFFICER)[0])
    program.officers.add(user)
    return user


def pool_enrol(match: m.Match) -> m.Match:
    """Both partners enrolled in the match's program over its twinning: while the program
    is open and the twinning active, a coming run can propose each of them a partner."""
    match.program.twinnings.add(match.twinning)
    match.participant_a.programs.add(match.program)
    match.participant_b.programs.add(match.program)
    return match
