"""The wall's forms: a post (text and up to four images) and a comment. The images are
checked and re-encoded by the service; the form only collects the files."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exchanges.models.wall import COMMENT_MAX_LENGTH, IMAGES_PER_POST, POST_MAX_LENGTH


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files under one name; returns a list (empty when none was sent)."""

    widget = MultipleImageInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > IMAGES_PER_POST:
            raise forms.ValidationError(
                ngettext("At most %(n)d image per post.", "At most %(n)d images per post.",
                         IMAGES_PER_POST) % {"n": IMAGES_PER_POST}
            )
        cleaned = []
        for item in files:
            cleaned.append(super().clean(item, initial))
        return cleaned


class WallPostForm(forms.Form):
    text = forms.CharField(
        required=False, max_length=POST_MAX_LENGTH, label=_("Text"),
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": _("Share something with the other class…")}
        ),
    )
    images = MultipleImageField(
        label=_("Images"),
        help_text=format_lazy(_("Up to {n} JPEG, PNG, WebP or GIF images."), n=IMAGES_PER_POST),
        widget=MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )


class WallCommentForm(forms.Form):
    text = forms.CharField(
        max_length=COMMENT_MAX_LENGTH, label=_("Comment"),
        widget=forms.TextInput(attrs={"placeholder": _("Write a comment…")}),
    )


def add_service_errors(form: forms.Form, error) -> None:
    """A service's ValidationError shown on the form, on its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
