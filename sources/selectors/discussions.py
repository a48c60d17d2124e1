"""Disagreement discussions as the caller may see them."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet

from ..models import Comment, Discussion
from .scoping import member_project_ids, with_my_role
from .visibility import visible_to


def discussions_for_user(user: AbstractBaseUser) -> QuerySet[Discussion]:
    """The caller's projects' discussions, each with its comments (and their authors) prefetched;
    a thread opened in a blind session is hidden as the session's other work is."""
    if not user.is_authenticated:
        return Discussion.objects.none()
    discussions = (
        visible_to(user, Discussion.objects.filter(passage__source__project__in=member_project_ids(user)))
        .select_related("theme", "started_by", "decided_by")
        .prefetch_related(
            Prefetch("comments", queryset=Comment.objects.select_related("author").order_by("id"))
        )
        .order_by("-id")
    )
    return with_my_role(discussions, user, "passage__source__project")
