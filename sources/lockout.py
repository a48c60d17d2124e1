"""Bounded password guessing (django-axes): whose failures count, and what a locked-out client sees.

Failures are counted per client address and per account; either count at `AXES_FAILURE_LIMIT`
refuses every further attempt from that address or for that account, right password or not, until
`AXES_COOLOFF_TIME` has passed without a try. The login page and `POST /api/auth/token/` share the
counts, which live in the default cache (Redis when `REDIS_URL` is set, so all processes agree)."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


class LockoutBackend(AxesStandaloneBackend):
    """Refuses every attempt while the account or the address is locked out.

    A check with no request (the test client's login(), a management command) comes from no client
    address and no web form, so there is nothing to count: it passes on to the password check, where
    axes' own backend would stop with an error."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is not None:
            super().authenticate(request, *args, **kwargs)


def client_address(request: HttpRequest) -> str:
    """The address the request came from: REMOTE_ADDR, unless the site sits behind
    `TRUSTED_PROXY_COUNT` proxies, each of which appends the address it saw to X-Forwarded-For.

    Then the client is the entry the outermost trusted proxy appended; anything left of it was
    written by the client and proves nothing."""
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        # Fewer hops than proxies: the request skipped the proxies (or they are misconfigured).
        return remote
    return hops[-proxies]


def account_key(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account an attempt is against, the same whether it names the username or the e-mail
    address, in any letter case: guessing cannot double its tries by switching between them."""
    login = None
    if credentials:
        login = credentials.get("username") or credentials.get("email")
    if login is None:
        data = getattr(request, "data", None) or request.POST
        login = data.get("login") or data.get("username")
    if not isinstance(login, str) or not login.strip():
        return None
    login = login.strip()
    if "@" in login:
        User = get_user_model()
        username = (
            User.objects.filter(email__iexact=login).order_by("pk").values_list("username", flat=True).first()
        )
        login = username or login
    return login.casefold()


def retry_after() -> int:
    """Seconds until a locked-out client may try again: every refused attempt restarts the cool-off
    (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so the whole cool-off is the exact wait."""
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    seconds = retry_after()
    minutes = max(1, round(seconds / 60))
    message = (
        f"Too many failed sign-in attempts for this account or from this address. "
        f"Try again in {minutes} minute{'s' if minutes != 1 else ''}."
    )
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message, "retry_after": seconds}, status=429)
    else:
        response = render(request, "account/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response
