"""Site-wide template helpers."""

from django import template
from django.forms import BoundField

register = template.Library()

CONTROL_CLASS_BY_WIDGET = {
    "select": "usa-select",
    "selectmultiple": "usa-select",
    "textarea": "usa-textarea",
    "checkbox": "usa-checkbox__input",
}


@register.simple_tag
def form_control(field: BoundField):
    """Render a field's widget with the design system's classes, marked invalid and tied
    to its hint and error message when it has them."""
    css_class = CONTROL_CLASS_BY_WIDGET.get(field.widget_type, "usa-input")
    attrs = {"class": css_class}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        attrs["class"] = f"{css_class} usa-input--error"
        described_by.append(f"{field.auto_id}_error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)
