"""Serializer fields shared by the capabilities."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Model, QuerySet
from rest_framework import serializers


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id to an object the caller may see.

    The choices come from `selector(user)`, so an id from a project the caller is not in reads as
    nonexistent, exactly like an unknown id, and the object arrives with its `my_role` annotation.
    `model` only tells the schema what the id points to."""

    def __init__(
        self, selector: Callable[[AbstractBaseUser], QuerySet[Any]], *, model: type[Model], **kwargs: Any
    ) -> None:
        self.selector = selector
        super().__init__(queryset=model._default_manager.none(), **kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return self.selector(self.context["request"].user)


class OffsetField(serializers.IntegerField):
    """A code-point offset into a passage's text."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=0, max_value=2**31 - 1, **kwargs)
