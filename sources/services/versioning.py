"""Optimistic concurrency for objects carrying a `version` counter."""

from typing import TypeVar

from django.db.models import Model

from .errors import StaleVersionError

M = TypeVar("M", bound=Model)


def locked_for_update(obj: M, expected_version: int | None) -> M:
    """Re-read `obj` under a row lock and refuse when the caller's version is stale.

    Must be called inside transaction.atomic(); the caller then changes the fresh copy and saves it
    with `version + 1`, so concurrent writers serialize on the lock and the later one sees the bump."""
    fresh = type(obj).objects.select_for_update().get(pk=obj.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise StaleVersionError(fresh.version)
    return fresh
