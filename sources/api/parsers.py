"""Body parsers: JSON for every endpoint, multipart for uploads, each refusing what is too large.

A JSON body is read whole (DRF reads `request.body`), so Django refuses one over
DATA_UPLOAD_MAX_MEMORY_SIZE with RequestDataTooBig, which errors.py turns into a 413. An upload
streams its file to disk instead, so its limit, MAX_UPLOAD_BYTES, is checked here from the
Content-Length before anything is read."""

from typing import Any

from django.conf import settings
from rest_framework import exceptions, parsers

from .exceptions import PayloadTooLarge


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - nested too deeply.") from None


class UploadParser(parsers.MultiPartParser):
    """Multipart with one file, which goes to disk as it arrives."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        request = (parser_context or {})["request"]
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise exceptions.ParseError("Content-Length is not a number.") from None
        if length > settings.MAX_UPLOAD_BYTES:
            raise PayloadTooLarge(f"The upload has {length} bytes; the limit is {settings.MAX_UPLOAD_BYTES}.")
        return super().parse(stream, media_type, parser_context)
