"""Annotations as the caller may see them, blind sessions included."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from ..models import Annotation, Membership, Role, Submission


def blind_hidden_from(user: AbstractBaseUser, prefix: str = "") -> Q:
    """Rows hidden from `user`: others' work in a blind session of a project where `user` is an
    annotator and has not submitted yet. `prefix` points from the queried model to the annotation."""
    annotator_projects = Membership.objects.filter(user=user, role=Role.ANNOTATOR).values("project_id")
    submitted = Submission.objects.filter(session=OuterRef(f"{prefix}session"), user=user)
    return (
        Q(**{f"{prefix}session__blind": True})
        & Q(**{f"{prefix}passage__source__project__in": annotator_projects})
        & ~Q(**{f"{prefix}author": user})
        & ~Exists(submitted)
    )


def annotations_for_user(user: AbstractBaseUser) -> QuerySet[Annotation]:
    if not user.is_authenticated:
        return Annotation.objects.none()
    return (
        Annotation.objects.filter(passage__source__project__memberships__user=user)
        .exclude(blind_hidden_from(user))
        .select_related("theme", "author", "passage")
    )
