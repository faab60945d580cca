"""``{{ field|widget_marked }}``: a field's control as Django renders it, plus
``aria-required="true"`` where the field is required but Django leaves ``required`` off
(rows of a formset, a select with no empty choice). The label's asterisk is hidden from
screen readers, so the control itself says the field must be filled."""

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def widget_marked(field: BoundField) -> str:
    widget = field.field.widget
    attrs = {}
    # A group of checkboxes or radios has no one control to mark (its fieldset names it).
    if (field.field.required and not widget.is_hidden and not widget.use_fieldset
            and "required" not in field.build_widget_attrs({})):
        attrs["aria-required"] = "true"
    return field.as_widget(attrs=attrs) if attrs else str(field)
