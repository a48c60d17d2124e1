"""Annotations as the caller may see them, blind sessions included."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from ..models import Annotation
from .visibility import visible_to


def annotations_for_user(user: AbstractBaseUser) -> QuerySet[Annotation]:
    if not user.is_authenticated:
        return Annotation.objects.none()
    return visible_to(
        user, Annotation.objects.filter(passage__source__project__memberships__user=user)
    ).select_related("theme", "author", "passage")
