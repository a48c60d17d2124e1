"""Errors the write side raises besides django's ValidationError (a 400 with a message per field)."""


class ConflictError(Exception):
    """The write would duplicate something that exists (409); `existing_id` names it."""

    def __init__(self, message: str, existing_id: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.existing_id = existing_id


class StaleVersionError(Exception):
    """The object changed since the caller read it (412 for an If-Match that no longer holds)."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            f"The object changed meanwhile (now at version {current_version}); reload it and retry."
        )
        self.current_version = current_version


class ForbiddenError(Exception):
    """The caller may see the object but not do this to it (403)."""
