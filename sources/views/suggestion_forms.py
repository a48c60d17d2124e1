"""Input shapes of the suggestions page's forms."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from ..models import Source, Theme
from ..templatetags.workbench import display_name


class ThresholdForm(forms.Form):
    min_precision = forms.FloatField(min_value=0, max_value=1, label="Precision at least")
    min_examples = forms.IntegerField(min_value=0, max_value=1_000_000, label="Training tags at least")


class BulkAcceptForm(forms.Form):
    theme = forms.ModelChoiceField(queryset=Theme.objects.none())
    min_score = forms.FloatField(min_value=0, max_value=1, initial=0.8, label="Score at least")
    source = forms.ModelChoiceField(
        queryset=Source.objects.none(), required=False, empty_label="Every source of the project"
    )
    author = forms.ModelChoiceField(queryset=None, label="As draft tags of")

    def __init__(
        self, *args: Any, themes: QuerySet, sources: QuerySet, members: QuerySet, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes
        self.fields["source"].queryset = sources
        self.fields["author"].queryset = members
        self.fields["author"].label_from_instance = display_name
