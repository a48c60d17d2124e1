"""Sessions as the pages show them: the caller's part in each (participant? submitted?), the state
(upcoming, open, closed) and, per source, how many passages the caller has tagged and which is next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from ..models import (
    Annotation,
    Membership,
    Passage,
    PassageKind,
    Project,
    Role,
    Session,
    Source,
    Submission,
)
from ..permissions import LEADS

UPCOMING, OPEN, CLOSED = "upcoming", "open", "closed"


def state_at(session: Session, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if now < session.opens_at:
        return UPCOMING
    return OPEN if now < session.closes_at else CLOSED


def _count(queryset: QuerySet, group: str) -> Coalesce:
    """COUNT(*) of `queryset` as a scalar subquery, grouped by the outer reference `group`."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_my_part(sessions: QuerySet[Session], user: AbstractBaseUser) -> QuerySet[Session]:
    """Annotate `is_participant` and `submitted_at` (None until the caller submits)."""
    mine = Submission.objects.filter(session=OuterRef("pk"), user=user)
    return sessions.annotate(
        is_participant=Exists(Session.participants.through.objects.filter(session=OuterRef("pk"), user=user)),
        submitted_at=Subquery(mine.values("submitted_at")[:1]),
    )


def prepared(session: Session, role: str | None, now: datetime | None = None) -> Session:
    """Set what the pages ask of a session: its state, and whether the caller may tag in it now
    (participants while it is open and until they submit; the project's leads at any time, as the
    annotation services allow)."""
    session.state = state_at(session, now)
    session.can_tag = role in LEADS or (
        session.is_participant and session.state == OPEN and session.submitted_at is None
    )
    session.can_submit = session.is_participant and session.state == OPEN and session.submitted_at is None
    return session


def project_sessions(user: AbstractBaseUser, project: Project, role: str | None) -> list[Session]:
    """The project's sessions, latest opening first, each with its counts and the caller's part: one query."""
    sessions = with_my_part(Session.objects.filter(project=project), user).annotate(
        source_count=_count(Session.sources.through.objects.filter(session=OuterRef("pk")), "session"),
        participant_count=_count(
            Session.participants.through.objects.filter(session=OuterRef("pk")), "session"
        ),
        submitted_count=_count(Submission.objects.filter(session=OuterRef("pk")), "session"),
    )
    now = timezone.now()
    return [prepared(s, role, now) for s in sessions.order_by("-opens_at", "-id")]


def session_in_project(
    user: AbstractBaseUser, project: Project, session_id: int, role: str | None, source: Source | None = None
) -> Session:
    """One session of the project (404 otherwise); with `source`, only if the source is part of it."""
    sessions = with_my_part(Session.objects.filter(project=project, pk=session_id), user)
    if source is not None:
        sessions = sessions.filter(sources=source)
    session = sessions.first()
    if session is None:
        raise Http404("No such session in this project.")
    return prepared(session, role)


@dataclass
class SourceToDo:
    """A session source as one annotator sees it: passages tagged in the session out of all, and the
    first passage (headings aside) still untagged."""

    session_id: int
    source: Source
    passage_count: int
    tagged: int
    next_ordinal: int | None

    @property
    def percent(self) -> int:
        return round(100 * self.tagged / self.passage_count) if self.passage_count else 0


def sources_to_do(user: AbstractBaseUser, session_ids: list[int]) -> dict[int, list[SourceToDo]]:
    """For each session, its sources with the caller's progress: one query for all of them."""
    if not session_ids:
        return {}
    # Nested subqueries: OuterRef(OuterRef(...)) reaches the (session, source) row from inside a
    # passage's subquery.
    mine = Annotation.objects.filter(
        session=OuterRef(OuterRef("session_id")), author=user, passage=OuterRef("pk")
    )
    passages = Passage.objects.filter(source=OuterRef("source_id")).order_by()
    tagged = passages.filter(Exists(mine))
    untagged = passages.exclude(kind=PassageKind.HEADING).exclude(Exists(mine)).order_by("ordinal")
    rows = (
        Session.sources.through.objects.filter(session_id__in=session_ids)
        .select_related("source")
        .only("id", "session_id", "source__id", "source__title", "source__authors", "source__year")
        .annotate(
            passage_count=_count(Passage.objects.filter(source=OuterRef("source_id")), "source"),
            tagged=_count(tagged, "source"),
            next_ordinal=Subquery(untagged.values("ordinal")[:1]),
        )
        .order_by("session_id", "source__title", "source_id")
    )
    found: dict[int, list[SourceToDo]] = {}
    for row in rows:
        found.setdefault(row.session_id, []).append(
            SourceToDo(row.session_id, row.source, row.passage_count, row.tagged, row.next_ordinal)
        )
    return found


def session_choices(project: Project) -> tuple[QuerySet[Source], QuerySet[Membership]]:
    """What a session form offers: the project's sources, and its members who tag (observers read only)."""
    sources = Source.objects.filter(project=project).defer("text").order_by("title", "id")
    members = (
        Membership.objects.filter(project=project)
        .exclude(role=Role.OBSERVER)
        .select_related("user")
        .order_by("user__username")
    )
    return sources, members
