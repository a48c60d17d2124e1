"""Annotations as `annotations_for_user` shows them, with the caller's role in each one's project."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from ..models import Annotation
from .annotations import annotations_for_user
from .scoping import with_my_role


def annotations_listed(user: AbstractBaseUser) -> QuerySet[Annotation]:
    """What a list of tags answers: each row with its theme, the rest by id (no role: a list checks
    no object's permissions), so that the query joins only what it filters on."""
    return annotations_for_user(user).select_related(None).select_related("theme").order_by("id")


def annotations_with_role(user: AbstractBaseUser) -> QuerySet[Annotation]:
    if not user.is_authenticated:
        return Annotation.objects.none()
    return with_my_role(annotations_for_user(user), user, "passage__source__project").order_by("id")
