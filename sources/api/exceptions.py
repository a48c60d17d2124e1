"""The API's own refusals, beside DRF's. Kept apart from errors.py, which imports DRF's views, so the
parsers (which DRF's views import through the settings) can use them without an import cycle."""

from rest_framework import exceptions


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = "The request body is too large."
    default_code = "too_large"


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = "If-Match does not name the object's current version; reload it and retry."
    default_code = "precondition_failed"
