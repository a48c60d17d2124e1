"""Input shapes of the page forms; the rules (offsets, duplicates, roles) live in services and
permissions."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from ..models import Claim, Relation, Source, Theme
from ..templatetags.workbench import display_name

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ServiceErrors:
    """For forms whose input a service checks further: its refusal shows where the form's own would."""

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's refusal next to the field it names, or above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)


def _span(cleaned: dict) -> None:
    start, end = cleaned.get("start"), cleaned.get("end")
    if (start is None) != (end is None):
        raise ValidationError("A span needs both start and end.")


class ThemeSpanForm(forms.Form):
    """A theme on the whole passage, or on the span start:end (code points)."""

    theme = forms.ModelChoiceField(queryset=Theme.objects.none())
    start = forms.IntegerField(required=False, min_value=0)
    end = forms.IntegerField(required=False, min_value=0)

    def __init__(self, *args, themes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes

    def clean(self) -> dict:
        cleaned = super().clean()
        _span(cleaned)
        return cleaned


class TagForm(ThemeSpanForm):
    """Tag a passage with a theme: the whole passage, or the span start:end (code points)."""

    quote = forms.CharField(required=False, strip=False)
    note = forms.CharField(required=False, max_length=5000)

    def clean(self) -> dict:
        cleaned = super().clean()
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


class SessionForm(ServiceErrors, forms.Form):
    """A team annotation session; times are entered in the server's time zone."""

    name = forms.CharField(max_length=200)
    instructions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}))
    opens_at = forms.DateTimeField(label="Opens at", widget=DATETIME_INPUT)
    closes_at = forms.DateTimeField(label="Closes at", widget=DATETIME_INPUT)
    blind = forms.BooleanField(
        required=False,
        label="Blind",
        help_text="Annotators see only their own tags of this session until they submit.",
    )
    sources = forms.ModelMultipleChoiceField(
        queryset=Source.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    participants = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, sources, members, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = sources
        self.fields["participants"].queryset = (
            get_user_model().objects.filter(pk__in=members.values("user_id")).order_by("username")
        )
        self.fields["participants"].label_from_instance = display_name

    def clean(self) -> dict:
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "The session must close after it opens.")
        return cleaned


class AdjudicationForm(ThemeSpanForm):
    """A lead's edit of an annotator's tag while comparing: theme, span (empty for the whole passage)
    and note, optionally accepted into the reviewed layer at once."""

    note = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    accept = forms.BooleanField(required=False, label="Accept it into the reviewed layer")
