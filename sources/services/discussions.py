"""Disagreements are discussed, not just overwritten: a thread per passage and theme, then a decision."""

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import Annotation, Comment, Decision, Discussion, DiscussionDecision, Passage, Session, Theme
from .reviews import review_create


def _comment(discussion: Discussion, author: AbstractBaseUser, text: str) -> Comment:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write something."})
    if len(text) > 2000:
        raise ValidationError({"text": "Keep a comment under 2,000 characters."})
    return Comment.objects.create(discussion=discussion, author=author, text=text)


@transaction.atomic
def discussion_start(
    *, passage: Passage, theme: Theme, started_by: AbstractBaseUser, text: str, session: Session | None = None
) -> Discussion:
    project_id = passage.source.project_id
    if theme.project_id != project_id:
        raise ValidationError({"theme": "The theme belongs to another project than the passage."})
    if session is not None and session.project_id != project_id:
        raise ValidationError({"session": "The session belongs to another project."})
    discussion = Discussion.objects.create(
        passage=passage, theme=theme, session=session, started_by=started_by
    )
    _comment(discussion, started_by, text)
    return discussion


@transaction.atomic
def discussion_comment(*, discussion: Discussion, author: AbstractBaseUser, text: str) -> Comment:
    return _comment(discussion, author, text)


@transaction.atomic
def discussion_decide(
    *,
    discussion: Discussion,
    decided_by: AbstractBaseUser,
    decision: str,
    reason: str,
    approve: Sequence[Annotation] = (),
    reject: Sequence[Annotation] = (),
) -> Discussion:
    """Settle the disagreement: record the decision and its reason, approve and reject the annotations
    it names (each a Review with the reason), and leave the decision in their history."""
    if decision not in DiscussionDecision.values:
        raise ValidationError({"decision": f"Use one of {', '.join(DiscussionDecision.values)}."})
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the decision; students read it."})
    for annotation in (*approve, *reject):
        if annotation.passage_id != discussion.passage_id or annotation.theme_id != discussion.theme_id:
            raise ValidationError(
                {"annotations": f"Annotation {annotation.pk} is not part of this disagreement."}
            )
    discussion = Discussion.objects.select_for_update().get(pk=discussion.pk)
    discussion.decision, discussion.reason = decision, reason.strip()
    discussion.decided_by, discussion.decided_at = decided_by, timezone.now()
    discussion.save()
    note = f"adjudicated ({decision}): {discussion.reason}"
    for annotation, verdict in [
        *((a, Decision.APPROVE) for a in approve),
        *((a, Decision.REJECT) for a in reject),
    ]:
        review_create(
            reviewer=decided_by,
            decision=verdict,
            comment=discussion.reason,
            annotation=annotation,
            history_reason=note,
        )
    return discussion
