"""Comments on passages, and notifications, as the caller may see them.

Comments on a passage are the project's conversation: every member reads them, except a comment
written in a blind session (while its author read the session's view), which is hidden as the
session's work is (`visibility.hidden_comments`). The comments of disagreement threads come with
their discussions (`selectors.discussions`)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, Q, QuerySet

from ..models import Comment, Notification
from .scoping import member_project_ids, with_my_role
from .visibility import visible_to

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
        visible_to(user, Comment.objects.filter(passage__source__project__in=member_project_ids(user)))
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


def passage_threads(user: AbstractBaseUser, passage_ids: list[int]) -> dict[int, list[Comment]]:
    """The comments of each passage `user` may read, threads oldest first, each followed by its
    replies: one query."""
    threads: dict[int, list[Comment]] = {}
    comments = visible_to(user, Comment.objects.filter(passage__in=passage_ids))
    for comment in comments.select_related("author").order_by("id"):
        threads.setdefault(comment.parent_id or comment.pk, []).append(comment)
    found: dict[int, list[Comment]] = {}
    for thread in threads.values():
        found.setdefault(thread[0].passage_id, []).extend(thread)
    return found


def notifications_for_user(user: AbstractBaseUser) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).select_related("actor", "project").order_by("-id")


def unread_count(user: AbstractBaseUser) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
