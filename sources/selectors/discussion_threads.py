"""Disagreement threads as the discussion fragment shows them: one passage and theme (and session),
the threads about it with their comments, and the tags an instructor's decision can approve or reject."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from ..models import Annotation, Comment, Discussion, Passage, Project, Session, Theme
from .discussions import discussions_for_user
from .visibility import visible_to


@dataclass
class Disagreement:
    """What a thread is about, and everything the fragment shows of it."""

    passage: Passage
    theme: Theme
    session: Session | None
    threads: list[Discussion]
    tags: list[Annotation]


def threads_about(
    user: AbstractBaseUser, passage: Passage | int, theme: Theme | int, session: Session | None = None
) -> QuerySet[Discussion]:
    """The threads about `theme` on `passage` the caller may see (only `session`'s when given),
    oldest first, with their comments and the comments' authors: two queries."""
    threads = visible_to(user, Discussion.objects.filter(passage=passage, theme=theme))
    if session is not None:
        threads = threads.filter(session=session)
    return (
        threads.select_related("started_by", "decided_by", "session")
        .prefetch_related(
            Prefetch("comments", queryset=Comment.objects.select_related("author").order_by("created", "id"))
        )
        .order_by("id")
    )


def disagreement(
    user: AbstractBaseUser, passage: Passage, theme: Theme, session: Session | None = None
) -> Disagreement:
    """The threads about `theme` on `passage` (only `session`'s when given), and the tags of that
    theme on the passage the caller may see. Four queries."""
    tags = (
        visible_to(user, Annotation.objects.filter(passage=passage, theme=theme))
        .select_related("author")
        .order_by("start", "end", "id")
    )
    if session is not None:
        tags = tags.filter(session=session)
    return Disagreement(
        passage=passage,
        theme=theme,
        session=session,
        threads=list(threads_about(user, passage, theme, session)),
        tags=list(tags),
    )


def discussion_in_project(user: AbstractBaseUser, project: Project, discussion_id: int) -> Discussion:
    discussion = (
        discussions_for_user(user)
        .select_related("passage__source", "session")
        .filter(passage__source__project=project, pk=discussion_id)
        .first()
    )
    if discussion is None:
        raise Http404("No such discussion in this project.")
    return discussion


def tags_to_decide(discussion: Discussion, ids: list[int]) -> dict[int, Annotation]:
    """The annotations named in a decision, among the tags of the discussion's passage and theme."""
    found = Annotation.objects.filter(passage=discussion.passage_id, theme=discussion.theme_id, pk__in=ids)
    if discussion.session_id is not None:
        found = found.filter(session=discussion.session_id)
    return {annotation.pk: annotation for annotation in found}
