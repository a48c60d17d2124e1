"""Review decisions on annotations and evidence links."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from ..models import Annotation, AnnotationStatus, Decision, Evidence, NotificationKind, Review
from .notifications import notify

STATUS_AFTER = {Decision.APPROVE: AnnotationStatus.APPROVED, Decision.REJECT: AnnotationStatus.REJECTED}


@transaction.atomic
def review_create(
    *,
    reviewer: AbstractBaseUser,
    decision: str,
    comment: str = "",
    annotation: Annotation | None = None,
    evidence: Evidence | None = None,
    history_reason: str = "",
) -> Review:
    """Record a decision; approve and reject set the target's status, a comment leaves it.

    `history_reason` goes into the target's history entry (an adjudication's decision and reason)."""
    if (annotation is None) == (evidence is None):
        raise ValidationError({"annotation": "Review exactly one annotation or one evidence link."})
    if decision not in Decision.values:
        raise ValidationError({"decision": f"Use one of {', '.join(Decision.values)}."})
    if decision == Decision.REJECT and not comment.strip():
        raise ValidationError({"comment": "Say why when rejecting, so the annotator can learn from it."})
    target = annotation or evidence
    model = type(target)
    target = model.objects.select_for_update().get(pk=target.pk)
    review = Review.objects.create(
        reviewer=reviewer,
        decision=decision,
        comment=comment,
        annotation=target if model is Annotation else None,
        evidence=target if model is Evidence else None,
    )
    if decision in STATUS_AFTER:
        target.status = STATUS_AFTER[decision]
        target.version += 1
        target._change_reason = history_reason or f"{decision}: {comment}".strip(": ")
        target.save(update_fields=["status", "version", "updated"])
    if decision == Decision.REJECT and model is Annotation:
        _tell_rejected(target, reviewer, comment)
    return review


def _tell_rejected(annotation: Annotation, reviewer: AbstractBaseUser, comment: str) -> None:
    passage = annotation.passage
    project = passage.source.project
    notify(
        recipient=annotation.author,
        kind=NotificationKind.TAG_REJECTED,
        text=f"Your {annotation.theme.name} tag was rejected: {comment}",
        url=f"{reverse('reader', args=[project.slug, passage.source_id])}#passage-{passage.ordinal}",
        project=project,
        actor=reviewer,
        object_id=annotation.pk,
    )
