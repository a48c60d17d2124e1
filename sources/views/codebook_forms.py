"""Forms of the codebook editor and the source pages; the services check the rules, the forms the
shape, and a service's ValidationError lands on the field it names."""

from django import forms
from django.core.exceptions import ValidationError

from ..models import Theme
from ..services.codebook_transfer import CODEBOOK_FORMATS


class ThemeForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    parent = forms.ModelChoiceField(
        label="Parent", queryset=Theme.objects.none(), required=False, empty_label="— none (top level) —"
    )
    color = forms.CharField(
        label="Colour", max_length=7, initial="#4c6ef5", widget=forms.TextInput(attrs={"type": "color"})
    )
    shortcut = forms.CharField(
        label="Shortcut",
        max_length=1,
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"size": 2, "autocomplete": "off"}),
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    include = forms.CharField(label="Include when", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    exclude = forms.CharField(label="Exclude when", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, themes: list[Theme], editing: Theme | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        parents = [t for t in themes if editing is None or t.pk != editing.pk]
        self.fields["parent"].queryset = Theme.objects.filter(pk__in=[t.pk for t in parents])
        self.fields["parent"].choices = [("", "— none (top level) —")] + [
            (t.pk, ("\u2003" * getattr(t, "depth", 0)) + t.name) for t in parents
        ]

    def add_service_error(self, error: ValidationError) -> None:
        """Put a service's messages on the fields they name, the rest above the form."""
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class MergeForm(forms.Form):
    theme = forms.ModelChoiceField(label="Merge", queryset=Theme.objects.none())
    into = forms.ModelChoiceField(label="into", queryset=Theme.objects.none())

    def __init__(self, *args, themes: list[Theme], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("theme", "into"):
            self.fields[name].queryset = Theme.objects.filter(pk__in=[t.pk for t in themes])
            self.fields[name].choices = [("", "—")] + [(t.pk, t.name) for t in themes]


class CodebookImportForm(forms.Form):
    file = forms.FileField(label="Codebook file")
    format = forms.ChoiceField(
        label="Format", choices=[("qdc", "REFI-QDA codebook (.qdc)"), ("json", "sco-annot JSON")]
    )

    def clean_format(self) -> str:
        value = self.cleaned_data["format"]
        if value not in CODEBOOK_FORMATS:
            raise ValidationError("Choose qdc or json.")
        return value


class SourceMetadataForm(forms.Form):
    title = forms.CharField(label="Title", max_length=500)
    authors = forms.CharField(
        label="Authors", required=False, help_text="Separated by semicolons: Doe J.; Roe R."
    )
    year = forms.IntegerField(label="Year", required=False, min_value=1000, max_value=2999)
    language = forms.RegexField(
        label="Language",
        regex=r"^([A-Za-z]{2,3}([-_][A-Za-z0-9]+)*)?$",
        max_length=8,
        required=False,
        help_text="ISO 639-1 code: en, ru, kk…",
    )
    citation = forms.CharField(label="Citation", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, title_required: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # On upload an empty title means "the document's own" (its first heading, or the file name).
        self.fields["title"].required = title_required

    def metadata(self) -> dict:
        data = dict(self.cleaned_data)
        data["authors"] = [name.strip() for name in data.get("authors", "").split(";") if name.strip()]
        return data


class SourceEditForm(SourceMetadataForm):
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="About the source as a whole, shown above its text (other tools' memos land here).",
    )
