"""What blind sessions hide, decided in one place for every channel: API, pages, exports, history.

The rule (docs/sessions.md, "Blind sessions"): in a blind session, a piece of work by one person is
hidden from an annotator of the project — not its author — until both have submitted their work in
that session. Work by the project's owners and instructors (an answer key) needs no submission of
its author. Owners, instructors and observers see everything. Pieces of work are annotations,
claims, evidence links, discussions and comments on passages made in the session; an evidence link
is hidden with the annotation it rests on or the claim it supports, a review with what it reviews, a
comment of a disagreement thread with its discussion, a history entry with its object, a live event
with the work it is about (`hidden_pairs`, used by `selectors.events`).

Each `hidden_*` function gives a Q of the rows hidden from the user, with `prefix` the path from the
queried model to the object in question (e.g. `annotation__` from reviews); `visible_to` applies the
right one to any queryset of these models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from ..models import (
    Annotation,
    Claim,
    Comment,
    Discussion,
    Evidence,
    Membership,
    Review,
    Role,
    Session,
    Submission,
)
from ..permissions import LEADS

M = TypeVar("M", bound=Model)


def _unfinished_for(user: AbstractBaseUser, *, session: str, author: str, project: str) -> Q:
    """Work with a blind `session` (field path), by `author`, in `project`, hidden from `user`."""
    annotator_in = Membership.objects.filter(user=user, role=Role.ANNOTATOR).values("project_id")
    viewer_submitted = Submission.objects.filter(session=OuterRef(session), user=user)
    author_submitted = Submission.objects.filter(session=OuterRef(session), user=OuterRef(author))
    author_leads = Membership.objects.filter(project=OuterRef(project), user=OuterRef(author), role__in=LEADS)
    return (
        Q(**{f"{session}__blind": True})
        & Q(**{f"{project}__in": annotator_in})
        & ~Q(**{author: user})
        & (~Exists(viewer_submitted) | ~(Exists(author_submitted) | Exists(author_leads)))
    )


def hidden_annotations(user: AbstractBaseUser, prefix: str = "") -> Q:
    return _unfinished_for(
        user,
        session=f"{prefix}session",
        author=f"{prefix}author",
        project=f"{prefix}passage__source__project",
    )


def hidden_claims(user: AbstractBaseUser, prefix: str = "") -> Q:
    return _unfinished_for(
        user, session=f"{prefix}session", author=f"{prefix}author", project=f"{prefix}project"
    )


def hidden_evidence(user: AbstractBaseUser, prefix: str = "") -> Q:
    """A link made in the session, or resting on a hidden span, or supporting a hidden claim."""
    own = _unfinished_for(
        user, session=f"{prefix}session", author=f"{prefix}author", project=f"{prefix}claim__project"
    )
    return own | hidden_annotations(user, f"{prefix}annotation__") | hidden_claims(user, f"{prefix}claim__")


def hidden_discussions(user: AbstractBaseUser, prefix: str = "") -> Q:
    return _unfinished_for(
        user,
        session=f"{prefix}session",
        author=f"{prefix}started_by",
        project=f"{prefix}passage__source__project",
    )


def hidden_comments(user: AbstractBaseUser, prefix: str = "") -> Q:
    """A comment of a hidden discussion, or one written in the session on a passage."""
    own = _unfinished_for(
        user,
        session=f"{prefix}session",
        author=f"{prefix}author",
        project=f"{prefix}passage__source__project",
    )
    return own | hidden_discussions(user, f"{prefix}discussion__")


def hidden_reviews(user: AbstractBaseUser, prefix: str = "") -> Q:
    return hidden_annotations(user, f"{prefix}annotation__") | hidden_evidence(user, f"{prefix}evidence__")


HIDDEN: dict[type[Model], Callable[[AbstractBaseUser, str], Q]] = {
    Annotation: hidden_annotations,
    Claim: hidden_claims,
    Evidence: hidden_evidence,
    Discussion: hidden_discussions,
    Comment: hidden_comments,
    Review: hidden_reviews,
}


def visible_to(user: AbstractBaseUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """`queryset` without the rows blind sessions hide from `user`."""
    return queryset.exclude(HIDDEN[queryset.model](user, ""))


def visible_in(user: AbstractBaseUser, project: Model, queryset: QuerySet[M]) -> QuerySet[M]:
    """`visible_to` for a queryset within one `project`, left out when nothing there can be hidden
    from `user` (they do not annotate in it, or it has no blind session): the exclusion's joins and
    subqueries cost an aggregate over a million tags several seconds. Tags are excluded by the
    ids of what hides them (`_hidden_tags_in`). Four queries at most, whatever the project's size."""
    hides = Membership.objects.filter(project=project, user=user, role=Role.ANNOTATOR).filter(
        Exists(Session.objects.filter(project=project, blind=True))
    )
    if not hides.exists():
        return queryset
    if queryset.model is Annotation:
        return queryset.exclude(_hidden_tags_in(user, project))
    return visible_to(user, queryset)


def _hidden_tags_in(user: AbstractBaseUser, project: Model) -> Q:
    """`hidden_annotations` for the tags of `project`, where `user` annotates, spelled out with the ids
    of the project's blind sessions, of who submitted in each and of the project's leads (three
    small queries) rather than joins and subqueries for every tag. A tag's session is always one of
    its passage's project (`services.annotations.check_session_work`), so these sessions are the
    only ones that can hide a tag of the project."""
    sessions = Session.objects.filter(project=project, blind=True).values_list("pk", flat=True)
    submitted: dict[int, set[int]] = {pk: set() for pk in sessions}
    for session, author in Submission.objects.filter(session__in=list(submitted)).values_list(
        "session_id", "user_id"
    ):
        submitted[session].add(author)
    leads = set(Membership.objects.filter(project=project, role__in=LEADS).values_list("user_id", flat=True))
    hidden = Q(pk__in=[])
    for session, authors in submitted.items():
        # Before the reader submits, everyone else's work is hidden; after, that of those who have
        # not submitted and do not lead the project.
        shown = {user.pk} | (authors | leads if user.pk in authors else set())
        hidden |= Q(session_id=session) & ~Q(author_id__in=shown)
    return hidden


# --- history entries, and files written for one user and read by another -----------------------------

# The fields of a (possibly deleted) object's state that say whose work it is and in which session.
AUTHOR_FIELD = {
    "annotation": "author",
    "evidence": "author",
    "claim": "author",
    "discussion": "started_by",
    "comment": "author",
}


def hidden_state(user: AbstractBaseUser, role: str | None, model: str, state: dict[str, Any]) -> bool:
    """Whether an object, known by its state in a history entry (it may be deleted), is hidden from
    `user`, whose role in its project is `role`. An evidence link is hidden with its span or claim."""
    if role != Role.ANNOTATOR or model not in AUTHOR_FIELD:
        return False
    work = [(state.get("session"), state.get(AUTHOR_FIELD[model]))]
    if model == "evidence":
        for related, kind in ((Annotation, "annotation"), (Claim, "claim")):
            if state.get(kind) is not None:
                work += related.objects.filter(pk=state[kind]).values_list("session_id", "author_id")
    return hides_any(user, work)


def hides_any(user: AbstractBaseUser, work: Iterable[tuple[int | None, int | None]]) -> bool:
    """Whether any (session id, author id) pair names work hidden from `user` — in a blind session of a
    project where `user` annotates, by someone else, before both submitted (or the author leads it).
    Three queries at most, whatever the number of pairs."""
    return bool(hidden_pairs(user, work))


def hidden_pairs(
    user: AbstractBaseUser, work: Iterable[tuple[int | None, int | None]]
) -> set[tuple[int, int | None]]:
    """The (session id, author id) pairs of `work` that name work hidden from `user` (see `hides_any`);
    three queries at most, whatever the number of pairs."""
    pairs = {(session, author) for session, author in work if session is not None and author != user.pk}
    if not pairs:
        return set()
    sessions = dict(
        Session.objects.filter(
            pk__in={session for session, _ in pairs},
            blind=True,
            project__in=Membership.objects.filter(user=user, role=Role.ANNOTATOR).values("project_id"),
        ).values_list("pk", "project_id")
    )
    pairs = {(session, author) for session, author in pairs if session in sessions}
    if not pairs:
        return set()
    people = {author for _, author in pairs} | {user.pk}
    submitted = set(
        Submission.objects.filter(session__in=sessions, user__in=people).values_list("session_id", "user_id")
    )
    leads = set(
        Membership.objects.filter(
            project__in=set(sessions.values()), user__in=people, role__in=LEADS
        ).values_list("project_id", "user_id")
    )
    return {
        (session, author)
        for session, author in pairs
        if (session, user.pk) not in submitted
        or ((session, author) not in submitted and (sessions[session], author) not in leads)
    }


def blind_work(querysets: Iterable[tuple[QuerySet, str]]) -> list[list[int]]:
    """The (session id, author id) pairs of blind-session work in each (queryset, author field), sorted:
    what an export file holds, so that `hides_any` can tell later who may read the file."""
    pairs: set[tuple[int, int]] = set()
    for queryset, author in querysets:
        pairs.update(
            queryset.filter(session__blind=True).order_by().values_list("session_id", author).distinct()
        )
    return [list(pair) for pair in sorted(pairs)]
