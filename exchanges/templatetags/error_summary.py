"""``{% error_summary form formset… %}``: at the top of a form sent back with errors, one box
that counts them and lists each, a link to its field (WCAG 3.3.1, the GOV.UK error summary).
Form-wide errors are listed too, as text: they have no one field to point to."""

from django import template
from django.forms import BoundField

register = template.Library()


@register.inclusion_tag("includes/error_summary.html")
def error_summary(form, *formsets, to_pupil=False):
    errors = _form_errors(form)
    for formset in formsets:
        errors += [(str(error), "") for error in formset.non_form_errors()]
        for row in formset.forms:
            errors += _form_errors(row)
    # A page with two forms (a prefix each) gets two summaries, each heading its own id.
    summary_id = f"{form.prefix}-error-summary" if form.prefix else "error-summary"
    return {"errors": errors, "summary_id": summary_id, "to_pupil": to_pupil}


def _form_errors(form) -> list[tuple[str, str]]:
    errors = [(str(error), "") for error in form.non_field_errors()]
    for field in form:
        # Only a field with errors is linked: a group's anchor reads its options (a query
        # for a model's choices), and the page reads them again to draw it.
        if field.errors:
            anchor = _anchor(field)
            errors += [(str(error), anchor) for error in field.errors]
    return errors


def _anchor(field: BoundField) -> str:
    """The link to the control a user fixes; none for a hidden one. A group of checkboxes or
    radios has no one control its label names, so the link goes to its first option."""
    if field.is_hidden or not field.auto_id:
        return ""
    if field.field.widget.use_fieldset:
        options = field.subwidgets
        return f"#{options[0].id_for_label}" if options else ""
    return f"#{field.id_for_label}" if field.id_for_label else ""
