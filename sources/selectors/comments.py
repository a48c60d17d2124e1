"""Comments on passages, and notifications, as the caller may see them.

Comments on a passage are the project's conversation, not session work: every member reads them
(a blind session's rules are about tags, claims, evidence and disagreement threads). The comments
of disagreement threads come with their discussions (`selectors.discussions`)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, Q, QuerySet

from ..models import Comment, Notification
from .scoping import member_project_ids, with_my_role

# The filters of the comments page and `GET /api/comments/?state=`.
STATES = {
    "open": "Open threads",
    "resolved": "Resolved threads",
    "mine": "Mine",
    "mentioning": "Mentioning me",
}


def comments_for_user(user: AbstractBaseUser) -> QuerySet[Comment]:
    """Comments on passages of the caller's projects, newest first, each with `my_role`."""
    if not user.is_authenticated:
        return Comment.objects.none()
    comments = (
        Comment.objects.filter(passage__source__project__in=member_project_ids(user))
        .select_related("author", "resolved_by", "passage__source__project")
        .prefetch_related(Prefetch("mentions", to_attr="mentioned"))
        .order_by("-id")
    )
    return with_my_role(comments, user, "passage__source__project")


def comments_in_state(comments: QuerySet[Comment], state: str, user: AbstractBaseUser) -> QuerySet[Comment]:
    """`comments` narrowed to one of STATES: a thread is open or resolved by its first comment."""
    if state == "open":
        return comments.filter(
            Q(parent__isnull=True, resolved_at__isnull=True)
            | Q(parent__resolved_at__isnull=True, parent__isnull=False)
        )
    if state == "resolved":
        return comments.filter(
            Q(parent__isnull=True, resolved_at__isnull=False) | Q(parent__resolved_at__isnull=False)
        )
    if state == "mine":
        return comments.filter(author=user)
    if state == "mentioning":
        return comments.filter(mentions=user)
    return comments


def passage_threads(passage_ids: list[int]) -> dict[int, list[Comment]]:
    """The comments of each passage, oldest first, replies after what they reply to: one query."""
    found: dict[int, list[Comment]] = {}
    for comment in Comment.objects.filter(passage__in=passage_ids).select_related("author").order_by("id"):
        found.setdefault(comment.passage_id, []).append(comment)
    return found


def notifications_for_user(user: AbstractBaseUser) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).select_related("actor", "project").order_by("-id")


def unread_count(user: AbstractBaseUser) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
