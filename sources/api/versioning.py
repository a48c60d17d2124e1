"""Optimistic concurrency over HTTP: an ETag on every read of a versioned object, If-Match on writes."""

import re

from django.db.models import Model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from .exceptions import PreconditionFailed

ETAG = re.compile(r'"(\d+)-(\d+)"')


def etag(obj: Model) -> str:
    return f'"{obj.pk}-{obj.version}"'  # type: ignore[attr-defined]


def expected_version(request: Request, obj: Model) -> int | None:
    """The version the caller's `If-Match` vouches for; None when the request has no precondition.

    The service compares it again under a row lock, so a change landing between this read and the
    write is refused too. Weak tags never match, as RFC 9110 asks for If-Match."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    current: int = obj.version  # type: ignore[attr-defined]
    versions = [
        int(m[2]) for tag in header.split(",") if (m := ETAG.fullmatch(tag.strip())) and int(m[1]) == obj.pk
    ]
    if current in versions:
        return current
    raise PreconditionFailed(
        f"If-Match {header.strip()} does not match the current ETag {etag(obj)}; reload it and retry."
    )


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag from a GET, e.g. `"12-3"`; the change is refused with 412 if the object has '
    "changed since. Without it the change is unconditional.",
)
