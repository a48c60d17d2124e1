"""Disagreement discussions as the caller may see them."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet

from ..models import Comment, Discussion
from .scoping import member_project_ids, with_my_role


def discussions_for_user(user: AbstractBaseUser) -> QuerySet[Discussion]:
    """The caller's projects' discussions, each with its comments (and their authors) prefetched."""
    if not user.is_authenticated:
        return Discussion.objects.none()
    discussions = (
        Discussion.objects.filter(passage__source__project__in=member_project_ids(user))
        .select_related("theme", "started_by", "decided_by")
        .prefetch_related(
            Prefetch("comments", queryset=Comment.objects.select_related("author").order_by("id"))
        )
        .order_by("-id")
    )
    return with_my_role(discussions, user, "passage__source__project")
