"""Annotation sessions as the caller may see them, and each participant's progress."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from ..models import Passage, Session, Source, Submission
from .scoping import member_project_ids, with_my_role


def sessions_for_user(user: AbstractBaseUser, *, with_members: bool = True) -> QuerySet[Session]:
    """The caller's sessions, latest opening first; `with_members` prefetches their source and
    participant ids."""
    if not user.is_authenticated:
        return Session.objects.none()
    sessions = Session.objects.filter(project__in=member_project_ids(user)).order_by("-opens_at", "id")
    if with_members:
        sessions = sessions.prefetch_related(
            Prefetch("sources", queryset=Source.objects.only("id").order_by("id")),
            Prefetch("participants", queryset=get_user_model().objects.only("id").order_by("id")),
        )
    return with_my_role(sessions, user, "project")


@dataclass(frozen=True)
class ParticipantProgress:
    user: int
    username: str
    passages_tagged: int
    passages_total: int
    submitted: bool


@dataclass(frozen=True)
class SessionProgress:
    session: int
    passages_total: int
    participants: list[ParticipantProgress]


def session_progress(session: Session) -> SessionProgress:
    """Per participant: how many of the session's passages carry at least one of their annotations
    made in the session, out of how many, and whether they submitted. Two queries."""
    session_sources = Source.objects.filter(sessions=session).values("pk")
    total = Passage.objects.filter(source__in=session_sources).count()
    tagged = Count(
        "annotations__passage",
        filter=Q(annotations__session=session, annotations__passage__source__in=session_sources),
        distinct=True,
    )
    submitted = Exists(Submission.objects.filter(session=session, user=OuterRef("pk")))
    participants = (
        get_user_model()
        .objects.filter(annotation_sessions=session)
        .annotate(passages_tagged=tagged, submitted=submitted)
        .order_by("username")
        .values_list("pk", "username", "passages_tagged", "submitted")
    )
    return SessionProgress(
        session=session.pk,
        passages_total=total,
        participants=[
            ParticipantProgress(
                user=pk, username=username, passages_tagged=count, passages_total=total, submitted=done
            )
            for pk, username, count, done in participants
        ],
    )
