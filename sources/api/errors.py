"""One exception handler for the API, and the error shapes the schema documents.

The write side raises django's ValidationError (400, a message per field), ConflictError (409, naming
the existing object), StaleVersionError (412) and ForbiddenError (403); every one becomes JSON here,
as do the request-size refusals Django raises before a view runs its code."""

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from ..services.errors import ConflictError, ForbiddenError, StaleVersionError
from .exceptions import PayloadTooLarge


def per_field(error: DjangoValidationError) -> dict[str, Any]:
    """A message list per field, as DRF's own validation errors have it."""
    detail = serializers.as_serializer_error(error)
    if "__all__" in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop("__all__")
    return detail


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(per_field(exc))
    elif isinstance(exc, ForbiddenError):
        exc = exceptions.PermissionDenied(str(exc))
    elif isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = PayloadTooLarge(f"The request body is over the limit of {limit} bytes.")
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = exceptions.ParseError(str(exc))
    elif isinstance(exc, ConflictError):
        set_rollback()
        return Response({"detail": exc.message, "existing_id": exc.existing_id}, status=409)
    elif isinstance(exc, StaleVersionError):
        set_rollback()
        return Response({"detail": str(exc), "current_version": exc.current_version}, status=412)
    elif isinstance(exc, IntegrityError):
        # The services check uniqueness before writing; two identical writes racing each other can
        # still both pass that check, and the database constraint then refuses the later one.
        set_rollback()
        return Response(
            {
                "detail": "This conflicts with a change saved meanwhile; reload and retry.",
                "existing_id": None,
            },
            status=409,
        )
    return drf_exception_handler(exc, context)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    existing_id = serializers.IntegerField(allow_null=True, help_text="The object this one would duplicate.")


class PreconditionSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField(required=False)


ERROR_RESPONSES = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description='Invalid input: a list of messages per field, e.g. `{"end": ["end (90) is past the '
        'passage text (64 characters)."]}`, `non_field_errors` for the request as a whole, or `detail` '
        "for a body that cannot be parsed.",
    ),
    401: OpenApiResponse(ErrorSerializer, description="Not signed in: no, or an invalid, session or token."),
    403: OpenApiResponse(
        ErrorSerializer, description="The caller's role in the project does not allow this."
    ),
    404: OpenApiResponse(
        ErrorSerializer, description="No such object, or it belongs to a project the caller is not in."
    ),
    409: OpenApiResponse(
        ConflictSerializer, description="It would duplicate an existing object, named by `existing_id`."
    ),
    412: OpenApiResponse(
        PreconditionSerializer, description="`If-Match` names another version than the current one."
    ),
    413: OpenApiResponse(ErrorSerializer, description="The body or the uploaded file is too large."),
    429: OpenApiResponse(
        ErrorSerializer, description="Too many attempts; retry after `Retry-After` seconds."
    ),
}


def errors(*codes: int, signed_in: bool = True) -> dict[int, OpenApiResponse]:
    """Error responses for extend_schema; 401 comes with every operation that needs a signed-in caller."""
    return {code: ERROR_RESPONSES[code] for code in ((401, *codes) if signed_in else codes)}


def list_errors() -> dict[int, OpenApiResponse]:
    """Error responses of a list: a bad filter value, or a page that is not there."""
    return {
        **errors(400),
        404: OpenApiResponse(
            ErrorSerializer,
            description="No such page: `page` past the last one, or a `cursor` this list did not give out.",
        ),
    }
