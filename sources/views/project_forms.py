"""Input shapes of the project, settings, member and invitation forms; the rules live in services."""

import zoneinfo

from django import forms

from ..formats.roster import MAX_BYTES as ROSTER_MAX_BYTES
from ..models import Licence, Role
from ..services.invitations import LINK_ROLES
from .forms import DATETIME_INPUT, ServiceErrors

TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime"})


class ProjectForm(ServiceErrors, forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        widget=forms.TextInput(attrs={"data-slug-source": "", "autofocus": True}),
    )
    slug = forms.SlugField(
        label="Slug",
        max_length=64,
        widget=forms.TextInput(attrs={"data-slug-target": ""}),
        help_text="The project's address: /p/<slug>/. Lower-case letters, digits and hyphens.",
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SettingsForm(ServiceErrors, forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    licence = forms.ChoiceField(
        label="Dataset licence",
        choices=Licence.choices,
        required=False,
        help_text="Named in every release's datasheet and datapackage.json.",
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=[(zone, zone.replace("_", " ")) for zone in TIME_ZONES],
        help_text="Session times are entered and shown in this zone.",
    )


class DeleteForm(forms.Form):
    confirm = forms.CharField(label="Type the project's slug to confirm", max_length=64)

    def __init__(self, *args, slug: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.slug = slug

    def clean_confirm(self) -> str:
        typed = self.cleaned_data["confirm"].strip()
        if typed != self.slug:
            raise forms.ValidationError(f"Type “{self.slug}” exactly to delete this project.")
        return typed


class RoleForm(ServiceErrors, forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)


class JoinLinkForm(ServiceErrors, forms.Form):
    role = forms.ChoiceField(
        label="Role", choices=[(r.value, r.label) for r in LINK_ROLES], initial=Role.ANNOTATOR
    )
    expires_at = forms.DateTimeField(
        label="Expires", required=False, widget=DATETIME_INPUT, help_text="Empty: the link never expires."
    )


class EmailInvitationForm(ServiceErrors, forms.Form):
    emails = forms.CharField(
        label="E-mail addresses",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Separated by commas, spaces or new lines.",
    )
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.ANNOTATOR)


class RosterForm(ServiceErrors, forms.Form):
    file = forms.FileField(label="Roster CSV", help_text="Columns name,email,role with a header line.")

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > ROSTER_MAX_BYTES:
            raise forms.ValidationError(f"The roster is larger than {ROSTER_MAX_BYTES // 1000} kB; split it.")
        return file
