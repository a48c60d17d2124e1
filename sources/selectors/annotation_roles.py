"""Annotations as `annotations_for_user` shows them, with the caller's role in each one's project."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from ..models import Annotation
from .annotations import annotations_for_user
from .scoping import with_my_role


def annotations_with_role(user: AbstractBaseUser) -> QuerySet[Annotation]:
    if not user.is_authenticated:
        return Annotation.objects.none()
    return with_my_role(annotations_for_user(user), user, "passage__source__project").order_by("id")
