"""Team annotation sessions: setting them up and submitting one's work."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import Annotation, AnnotationStatus, Membership, Project, Session, Source, Submission
from .errors import ConflictError

SESSION_FIELDS = frozenset({"name", "instructions", "opens_at", "closes_at", "blind"})


def _check_members(
    project: Project, sources: Iterable[Source], participants: Iterable[AbstractBaseUser]
) -> None:
    if any(source.project_id != project.pk for source in sources):
        raise ValidationError({"sources": "Every source must belong to the session's project."})
    participant_ids = {user.pk for user in participants}
    members = set(
        Membership.objects.filter(project=project, user_id__in=participant_ids).values_list(
            "user_id", flat=True
        )
    )
    if participant_ids - members:
        raise ValidationError({"participants": "Every participant must be a member of the project."})


def session_create(
    *,
    project: Project,
    created_by: AbstractBaseUser,
    name: str,
    opens_at: datetime,
    closes_at: datetime,
    instructions: str = "",
    blind: bool = False,
    sources: Iterable[Source] = (),
    participants: Iterable[AbstractBaseUser] = (),
) -> Session:
    with transaction.atomic():
        sources, participants = list(sources), list(participants)
        _check_members(project, sources, participants)
        session = Session(
            project=project,
            created_by=created_by,
            name=name,
            instructions=instructions,
            opens_at=opens_at,
            closes_at=closes_at,
            blind=blind,
        )
        session.full_clean()
        session.save()
        session.sources.set(sources)
        session.participants.set(participants)
        return session


def session_update(
    *,
    session: Session,
    sources: Iterable[Source] | None = None,
    participants: Iterable[AbstractBaseUser] | None = None,
    **changes: Any,
) -> Session:
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        for name, value in changes.items():
            if name not in SESSION_FIELDS:
                raise ValidationError({name: "This field cannot be changed."})
            setattr(session, name, value)
        session.full_clean()
        session.save()
        if sources is not None or participants is not None:
            sources = list(sources) if sources is not None else list(session.sources.all())
            participants = (
                list(participants) if participants is not None else list(session.participants.all())
            )
            _check_members(session.project, sources, participants)
            session.sources.set(sources)
            session.participants.set(participants)
        return session


def session_submit(*, session: Session, user: AbstractBaseUser) -> int:
    """Submit the caller's work: their draft session annotations become `submitted`.

    Returns how many annotations were submitted. Refused after closing, for non-participants and twice."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if not session.participants.filter(pk=user.pk).exists():
            raise ValidationError({"session": "You are not a participant of this session."})
        if timezone.now() >= session.closes_at:
            raise ValidationError(
                {"session": f"Session '{session.name}' closed at {session.closes_at:%Y-%m-%d %H:%M %Z}."}
            )
        if Submission.objects.filter(session=session, user=user).exists():
            raise ConflictError("You have already submitted your work in this session.")
        Submission.objects.create(session=session, user=user)
        drafts = Annotation.objects.select_for_update().filter(
            session=session, author=user, status=AnnotationStatus.DRAFT
        )
        count = 0
        # Saved one by one rather than with update(): each change then gets its history entry.
        for annotation in drafts:
            annotation.status = AnnotationStatus.SUBMITTED
            annotation.version += 1
            annotation.save(update_fields=["status", "version", "updated"])
            count += 1
        return count
