"""Body parsers that refuse an oversized body from its Content-Length, before reading it.

DRF reads JSON straight from the request stream, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE (enforced
only when something reads `request.body` or `request.POST`) would not stop a huge JSON body."""

from typing import Any

from django.conf import settings
from rest_framework import exceptions, parsers

from .errors import PayloadTooLarge


def refuse_oversized(parser_context: dict[str, Any] | None, limit: int | None) -> None:
    request = (parser_context or {}).get("request")
    if request is None or limit is None:
        return
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise exceptions.ParseError("Content-Length is not a number.") from None
    if length > limit:
        raise PayloadTooLarge(f"The request body has {length} bytes; the limit is {limit}.")


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        refuse_oversized(parser_context, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - nested too deeply.") from None


class UploadParser(parsers.MultiPartParser):
    """Multipart with one file: the limit is MAX_UPLOAD_BYTES, the file going to disk as it arrives."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        refuse_oversized(parser_context, settings.MAX_UPLOAD_BYTES)
        return super().parse(stream, media_type, parser_context)
