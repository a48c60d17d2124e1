"""Input shapes of the page forms; the rules (offsets, duplicates, roles) live in services and
permissions."""

from django import forms
from django.core.exceptions import ValidationError

from ..models import Claim, Relation, Theme


def _span(cleaned: dict) -> None:
    start, end = cleaned.get("start"), cleaned.get("end")
    if (start is None) != (end is None):
        raise ValidationError("A span needs both start and end.")


class TagForm(forms.Form):
    """Tag a passage with a theme: the whole passage, or the span start:end (code points)."""

    theme = forms.ModelChoiceField(queryset=Theme.objects.none())
    start = forms.IntegerField(required=False, min_value=0)
    end = forms.IntegerField(required=False, min_value=0)
    quote = forms.CharField(required=False, strip=False)
    note = forms.CharField(required=False, max_length=5000)

    def __init__(self, *args, themes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes

    def clean(self) -> dict:
        cleaned = super().clean()
        _span(cleaned)
        if cleaned.get("start") is None:
            cleaned["quote"] = None
        else:
            cleaned["quote"] = cleaned.get("quote") or None
        return cleaned


class NoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=5000)
    version = forms.IntegerField(required=False, min_value=1)


class ClaimForm(forms.Form):
    text = forms.CharField(max_length=2000, label="Claim")


NEW = "new"


class LinkForm(forms.Form):
    """Link a passage, an existing span tag, or the current selection to a claim."""

    claim = forms.CharField(required=False)
    claim_text = forms.CharField(required=False, max_length=2000, label="New claim")
    relation = forms.ChoiceField(choices=Relation.choices, initial=Relation.SUPPORTS)
    evidence = forms.CharField(required=False)  # "" whole passage, an annotation id, or "new" (the selection)
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False)
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    quote = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=5000)

    def __init__(self, *args, themes, claims, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes
        self.claims = claims

    def clean_claim(self) -> Claim | None:
        value = self.cleaned_data["claim"]
        if value in ("", NEW):
            return None
        try:
            return self.claims.get(pk=int(value))
        except (ValueError, Claim.DoesNotExist) as exc:
            raise ValidationError("Choose one of this project's claims.") from exc

    def clean(self) -> dict:
        cleaned = super().clean()
        _span(cleaned)
        if cleaned.get("claim") is None and not (cleaned.get("claim_text") or "").strip():
            self.add_error("claim_text", "Write the new claim, or choose an existing one.")
        if cleaned.get("evidence") == NEW and cleaned.get("start") is None:
            self.add_error("evidence", "There is no selected text to link; choose the whole passage.")
        return cleaned
