from django import forms
from django.utils.translation import gettext_lazy as _

from forum.models import Topic


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search terms"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any topic"),
    )
