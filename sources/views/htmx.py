"""How a page view answers an htmx request as opposed to a plain browser request."""

import json

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from ..services.errors import ConflictError, StaleVersionError

FLASH = "sources/flash.html"


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def messages_of(error: Exception) -> str:
    """One readable line from a service error, whatever its kind."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, ConflictError):
        return error.message
    return str(error)


def status_of(error: Exception) -> int:
    return 409 if isinstance(error, ConflictError | StaleVersionError) else 422


def flash(
    request: HttpRequest, message: str, level: str = "ok", oob: bool = False, undo_url: str = ""
) -> str:
    """The status line's content; `oob` wraps it for an out-of-band swap next to a fragment, and
    `undo_url` puts an Undo button beside the message."""
    context = {"message": message, "level": level, "oob": oob, "undo_url": undo_url}
    return render_to_string(FLASH, context, request=request)


def error_response(request: HttpRequest, error: Exception) -> HttpResponse:
    """An htmx error: the message goes to the page's status line, the fragment stays as it was."""
    response = HttpResponse(flash(request, messages_of(error), "error"), status=status_of(error))
    response["HX-Retarget"] = "#flash"
    response["HX-Reswap"] = "innerHTML"
    return response


def trigger(response: HttpResponse, event: str, detail: dict | None = None) -> HttpResponse:
    response["HX-Trigger"] = json.dumps({event: detail or {}})
    return response
