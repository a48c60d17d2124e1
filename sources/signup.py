"""The fields allauth's sign-up form adds to its own. allauth builds its sign-up form on this class,
so this module must not import allauth's forms (that import would come back here half-loaded)."""

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest


class SignupForm(forms.Form):
    """The fields allauth's sign-up form adds to its own (username, e-mail, passwords)."""

    name = forms.CharField(
        label="Name",
        max_length=150,
        help_text="Your name as your team sees it, e.g. “Aigerim Sadykova”.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["name"]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the name your team knows you by.")
        return name

    def signup(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        # The whole name goes in first_name: get_full_name() then gives it back as typed, whatever
        # the order or number of its parts.
        user.first_name = self.cleaned_data["name"]
        user.last_name = ""
        user.save(update_fields=["first_name", "last_name"])
