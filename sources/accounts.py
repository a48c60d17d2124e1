"""Accounts through django-allauth: who may sign up, the name asked at sign-up, the client address.

Sign-up is open when `ACCOUNT_SIGNUP_OPEN` says so (env `SIGNUP_OPEN`); otherwise only someone who
arrived through an invitation may sign up: the join view keeps the invitation's token in the session
under `invitation_token` and sends them here, and after sign-up back to itself."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
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
