"""Error pages: in the site's layout for people, JSON for API clients.

Django answers a URL that matches no route (`/api/annotations/abc/`, `/api/nothing/`) and a few
refusals before any DRF view runs, so these handlers decide by path: anything under /api/ gets
`{"detail": ...}` like every other API error, the rest a page with the reason and a way back."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults

API_PREFIX = "/api/"


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _reason(exception: Exception | None, fallback: str) -> str:
    """The message the code gave (Http404("No such project.")), else the fallback; a failed URL match
    carries a dict of the patterns tried, which is for developers, not for the page."""
    message = exception.args[0] if exception is not None and exception.args else None
    return message if isinstance(message, str) and message else fallback


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {"detail": _reason(exception, "You do not have permission to do this.")}, status=403
        )
    return render(request, "403.html", {"exception": _reason(exception, "")}, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", {"exception": _reason(exception, "")}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Server error; the problem has been logged."}, status=500)
    return defaults.server_error(request)
