"""Accounts through django-allauth: who may sign up, the name asked at sign-up, the client address.

Sign-up is open when `ACCOUNT_SIGNUP_OPEN` says so (env `SIGNUP_OPEN`); otherwise only someone who
arrived through an invitation may sign up: the join view keeps the invitation's token in the session
under `invitation_token` and sends them here, and after sign-up back to itself."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from .lockout import client_address

INVITATION_SESSION_KEY = "invitation_token"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return settings.ACCOUNT_SIGNUP_OPEN or bool(request.session.get(INVITATION_SESSION_KEY))

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # A locked-out client goes straight to the password check, where the lockout refuses it with
        # 429 and Retry-After; allauth's own failure limit would answer with the form instead.
        if AxesProxyHandler.is_allowed(request, credentials):
            super().pre_authenticate(request, **credentials)

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's own rate limits and the lockout count the same address.
        return client_address(request)


class LoginForm(AllauthLoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Username or e-mail"
        self.fields["login"].widget.attrs["autocomplete"] = "username"


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
