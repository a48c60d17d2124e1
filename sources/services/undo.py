"""Undo: take back one's own last writes in a project (a tag, a deletion, a note, a review decision),
one step at a time, through the same history the instructors restore from.

Every undo is itself a history entry whose reason names the entry it takes back ("undo
annotation-12"), so the next undo goes one step further back instead of undoing the undo, and an
instructor reading the history sees what happened."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q

from ..models import Annotation, AnnotationStatus, Passage, Project, Review, Session, Theme
from ..selectors.history import RESTORED
from .annotations import check_session_unlocked
from .history import history_restore
from .reviews import STATUS_AFTER

UNDO = "undo "
# How far back the steps reach: a person's last writes in the project, not their whole past.
WINDOW = 50
DECIDED = {"approve": "approving", "reject": "rejecting", "comment": "the comment on"}


@dataclass(frozen=True)
class Undone:
    message: str
    passage: Passage


def _undo_reason(entry_id: str) -> str:
    return f"{UNDO}{entry_id}"


def _last_annotation_step(user: AbstractBaseUser, project: Project) -> Model | None:
    """The newest annotation history entry by `user` not yet undone. Entries written by reviews
    (their reason is the decision) are steps of the review, not of the annotation."""
    records = Annotation.history.filter(history_user=user, passage__source__project=project).order_by(
        "-history_date", "-history_id"
    )[:WINDOW]
    undone = set()
    for record in records:
        reason = record.history_change_reason or ""
        if reason.startswith(UNDO):
            undone.add(reason.removeprefix(UNDO))
        elif reason in ("", RESTORED) and f"annotation-{record.history_id}" not in undone:
            return record
    return None


def _last_review(user: AbstractBaseUser, project: Project) -> Review | None:
    in_project = Q(annotation__passage__source__project=project) | Q(
        evidence__passage__source__project=project
    )
    return (
        Review.objects.filter(in_project, reviewer=user)
        .select_related("annotation__theme", "annotation__passage", "evidence__passage")
        .order_by("-created", "-id")
        .first()
    )


def _check_unlocked(session_id: int | None, user: AbstractBaseUser) -> None:
    session = Session.objects.filter(pk=session_id).first() if session_id else None
    if session is not None:
        check_session_unlocked(session, user, user)


def _undo_annotation_step(record: Model, user: AbstractBaseUser) -> Undone:
    """Put the annotation back as it was before `record`: gone again if `record` created it (or
    brought it back from deletion), its earlier state otherwise."""
    _check_unlocked(record.session_id, user)
    reason = _undo_reason(f"annotation-{record.history_id}")
    earlier = (
        Annotation.history.filter(id=record.id)
        .filter(
            Q(history_date__lt=record.history_date)
            | Q(history_date=record.history_date, history_id__lt=record.history_id)
        )
        .order_by("-history_date", "-history_id")
        .first()
    )
    theme = Theme.objects.filter(pk=record.theme_id).values_list("name", flat=True).first() or "a theme"
    what = f"“{record.quote}”" if record.start is not None else "the passage"
    if record.history_type == "-":
        history_restore(model_name="annotation", record=record, user=user, reason=reason)
        message = f"Undid deleting the {theme} tag."
    elif earlier is None or earlier.history_type == "-":
        current = Annotation.objects.select_for_update().filter(pk=record.id).first()
        if current is not None:
            current._change_reason = reason
            current._history_user = user
            current.delete()
        message = f"Undid tagging {what} as {theme}."
    else:
        history_restore(model_name="annotation", record=earlier, user=user, reason=reason)
        message = f"Undid the change to the {theme} tag."
    return Undone(message, Passage.objects.select_related("source").get(pk=record.passage_id))


def _undo_review(review: Review, user: AbstractBaseUser) -> Undone:
    """Remove the decision; an approval or rejection also puts back the status it replaced."""
    target = review.annotation or review.evidence
    model = type(target)
    target = model.objects.select_for_update().get(pk=target.pk)
    if review.decision in STATUS_AFTER:
        before = (
            model.history.filter(id=target.pk, history_date__lt=review.created)
            .order_by("-history_date", "-history_id")
            .first()
        )
        target.status = before.status if before is not None else AnnotationStatus.DRAFT
        target.version += 1
        target._change_reason = _undo_reason(f"review-{review.pk}")
        target._history_user = user
        target.save(update_fields=["status", "version", "updated"])
    review.delete()
    noun = f"the {review.annotation.theme.name} tag" if review.annotation else "the evidence link"
    return Undone(f"Undid {DECIDED[review.decision]} {noun}.", target.passage)


@transaction.atomic
def undo_last(*, user: AbstractBaseUser, project: Project) -> Undone:
    """Take back `user`'s newest write in `project` that is not undone yet."""
    step = _last_annotation_step(user, project)
    review = _last_review(user, project)
    if review is not None and (step is None or review.created > step.history_date):
        return _undo_review(review, user)
    if step is None:
        raise ValidationError("Nothing of yours to undo here.")
    return _undo_annotation_step(step, user)
