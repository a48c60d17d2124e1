"""Recording events: every tag written, changed or deleted, every review decision and every comment
leaves an event in its project's log, which the live pages and `GET /api/projects/{slug}/events/`
read (docs/collaboration.md, "Live updates")."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from simple_history.models import HistoricalRecords

from ..live.wakeup import announce
from ..models import Annotation, Event, Evidence, Passage, Review


def event_record(
    *,
    project_id: int,
    kind: str,
    object_id: int,
    actor: AbstractBaseUser | None = None,
    author_id: int | None = None,
    session_id: int | None = None,
    recipient_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Write one event and wake the streams once it is committed."""
    event = Event.objects.create(
        project_id=project_id,
        kind=kind,
        object_id=object_id,
        actor=actor if actor is not None and actor.is_authenticated else None,
        author_id=author_id,
        session_id=session_id,
        recipient_id=recipient_id,
        data=data or {},
    )
    announce(event.pk)
    return event


def acting() -> AbstractBaseUser | None:
    """The signed-in user of the request being answered (None in commands and the worker)."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _where(work: Annotation | Evidence) -> dict[str, Any]:
    """The passage of `work`, its source, ordinal and project: what a page needs to re-read the
    passage; from the objects already loaded when the write had them, else one query."""
    if work.passage_id is None:
        return {}
    passage_field, source_field = type(work)._meta.get_field("passage"), Passage._meta.get_field("source")
    if passage_field.is_cached(work) and source_field.is_cached(work.passage):
        passage = work.passage
        found = {
            "source_id": passage.source_id,
            "ordinal": passage.ordinal,
            "source__project_id": passage.source.project_id,
        }
    else:
        found = (
            Passage.objects.filter(pk=work.passage_id)
            .values("source_id", "ordinal", "source__project_id")
            .first()
        )
    if found is None:
        return {}
    return {
        "project": found["source__project_id"],
        "passage": work.passage_id,
        "source": found["source_id"],
        "ordinal": found["ordinal"],
    }


def _annotation_event(annotation: Annotation, kind: str) -> None:
    where = _where(annotation)
    if not where:
        return
    event_record(
        project_id=where.pop("project"),
        kind=kind,
        object_id=annotation.pk,
        actor=acting() or annotation.author,
        author_id=annotation.author_id,
        session_id=annotation.session_id,
        data=where,
    )


def on_annotation_saved(sender: type[Model], instance: Annotation, created: bool, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        _annotation_event(instance, "annotation.created" if created else "annotation.updated")


def on_annotation_deleted(sender: type[Model], instance: Annotation, **kwargs: Any) -> None:
    _annotation_event(instance, "annotation.deleted")


def on_review_saved(sender: type[Model], instance: Review, created: bool, **kwargs: Any) -> None:
    """A decision on a tag (the tag's status changes with it) or on an evidence link."""
    if not created or kwargs.get("raw"):
        return
    work = instance.annotation if instance.annotation_id else instance.evidence
    where = _where(work)
    project_id = where.pop("project", None) or work.claim.project_id
    event_record(
        project_id=project_id,
        kind="review.created",
        object_id=instance.pk,
        actor=instance.reviewer,
        author_id=work.author_id,
        session_id=work.session_id,
        data={
            **where,
            "decision": instance.decision,
            "annotation" if instance.annotation_id else "evidence": work.pk,
        },
    )


def connect() -> None:
    post_save.connect(on_annotation_saved, sender=Annotation, dispatch_uid="event-annotation-saved")
    post_delete.connect(on_annotation_deleted, sender=Annotation, dispatch_uid="event-annotation-deleted")
    post_save.connect(on_review_saved, sender=Review, dispatch_uid="event-review-saved")
