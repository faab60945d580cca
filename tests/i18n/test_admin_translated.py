"""The Django admin speaks the superuser's language: every model it shows (registered or
inline) and each of their own fields and help texts are marked for translation, and a
German superuser reads German labels."""

import re

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils.functional import Promise

from tests.factories import UserFactory
from tests.i18n.speaking import signed_in


def _admin_models():
    models = set()
    for model, model_admin in admin.site._registry.items():
        models.add(model)
        models.update(inline.model for inline in model_admin.inlines)
    return sorted((m for m in models if m._meta.app_label == "exchanges"),
                  key=lambda m: m.__name__)


@pytest.mark.parametrize("model", _admin_models(), ids=lambda m: m.__name__)
def test_each_admin_model_and_its_fields_are_marked_for_translation(model):
    meta = model._meta
    assert isinstance(meta.verbose_name, Promise), model
    assert isinstance(meta.verbose_name_plural, Promise), model
    own = [f for f in meta.local_fields + list(meta.local_many_to_many) if not f.auto_created]
    unmarked = [f.name for f in own if not isinstance(f.verbose_name, Promise)]
    assert not unmarked, f"{model.__name__}: verbose_name=_(...) for {unmarked}"
    plain_help = [f.name for f in own if f.help_text and not isinstance(f.help_text, Promise)]
    assert not plain_help, f"{model.__name__}: help_text=_(...) for {plain_help}"


@pytest.mark.django_db
def test_a_german_superuser_reads_the_admin_in_german():
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client = signed_in(superuser, "de")
    index = client.get(reverse("admin:index")).content.decode()
    assert "Städtepartnerschaften" in index and "Klassenaustausche" in index
    form = client.get(reverse("admin:exchanges_twinning_add")).content.decode()
    labels = re.findall(r"<label[^>]*>([^<]+)</label>", form)
    assert "Stadt A:" in labels and "Notiz:" in labels, labels
    assert "City a:" not in labels


@pytest.mark.parametrize("model", _admin_models(), ids=lambda m: m.__name__)
def test_the_choices_an_admin_model_offers_are_marked_for_translation(model):
    meta = model._meta
    # The interface languages are named in themselves (English, Français...), on purpose.
    own = [f for f in meta.local_fields if not f.auto_created and f.choices
           and list(f.choices) != list(settings.LANGUAGES)]
    plain = [(f.name, label) for f in own for _value, label in f.flatchoices
             if label and not isinstance(label, Promise)]
    assert not plain, f"{model.__name__}: pgettext_lazy(...) for {plain}"
