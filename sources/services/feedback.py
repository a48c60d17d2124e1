"""Classroom feedback: the answer key, the rubric and the grades an instructor gives."""

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ..models import Criterion, Grade, Membership, NotificationKind, Score, Session
from .notifications import notify


@transaction.atomic
def answer_key_set(*, session: Session, author: AbstractBaseUser | None) -> Session:
    """Make `author`'s annotations of the session its answer key (None removes the key)."""
    if author is not None and not Membership.objects.filter(project=session.project_id, user=author).exists():
        raise ValidationError({"author": "The answer key's author must be a member of the project."})
    session = Session.objects.select_for_update().get(pk=session.pk)
    session.answer_key_author = author
    session.save(update_fields=["answer_key_author"])
    return session


@transaction.atomic
def rubric_set(*, session: Session, criteria: Sequence[Mapping]) -> list[Criterion]:
    """Replace the session's rubric; criteria kept by name keep their scores."""
    names = [str(c.get("name", "")).strip() for c in criteria]
    if any(not name for name in names):
        raise ValidationError({"criteria": "Every criterion needs a name."})
    if len(set(names)) != len(names):
        raise ValidationError({"criteria": "Criterion names must differ."})
    existing = {c.name: c for c in Criterion.objects.select_for_update().filter(session=session)}
    kept = []
    for order, (name, spec) in enumerate(zip(names, criteria, strict=True)):
        criterion = existing.pop(name, None) or Criterion(session=session, name=name)
        criterion.description = spec.get("description", "")
        criterion.max_points = spec.get("max_points")
        criterion.order = order
        criterion.full_clean(exclude=["session"], validate_constraints=False)
        if not criterion.max_points or criterion.max_points <= 0:
            raise ValidationError({"criteria": f"Criterion '{name}' needs a positive max_points."})
        criterion.save()
        kept.append(criterion)
    Criterion.objects.filter(pk__in=[c.pk for c in existing.values()]).delete()
    return kept


def _points(value: object, criterion: Criterion) -> Decimal:
    try:
        points = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {"scores": f"'{value}' is not a number (criterion '{criterion.name}')."}
        ) from None
    if not points.is_finite() or points < 0 or points > criterion.max_points:
        raise ValidationError(
            {
                "scores": f"Points for '{criterion.name}' must be between 0 and {criterion.max_points}, "
                f"not {value}."
            }
        )
    return points.quantize(Decimal("0.01"))


@transaction.atomic
def grade_set(
    *,
    session: Session,
    annotator: AbstractBaseUser,
    graded_by: AbstractBaseUser,
    scores: Mapping[int, object],
    feedback: str = "",
) -> Grade:
    """Grade one participant on the rubric; `scores` maps criterion ids to points."""
    if not session.participants.filter(pk=annotator.pk).exists():
        raise ValidationError({"annotator": "Only the session's participants are graded."})
    criteria = {c.pk: c for c in Criterion.objects.filter(session=session)}
    unknown = set(scores) - set(criteria)
    if unknown:
        raise ValidationError({"scores": f"Not criteria of this session's rubric: {sorted(unknown)}."})
    grade, _ = Grade.objects.select_for_update().get_or_create(session=session, annotator=annotator)
    grade.feedback = feedback
    grade.graded_by = graded_by
    grade.save()
    for criterion_id, value in scores.items():
        Score.objects.update_or_create(
            grade=grade,
            criterion_id=criterion_id,
            defaults={"points": _points(value, criteria[criterion_id])},
        )
    return grade


@transaction.atomic
def grades_release(*, session: Session, released_by: AbstractBaseUser | None = None) -> int:
    """Let the students see their grades and feedback, and tell them; returns how many grades were
    released."""
    pending = Grade.objects.filter(session=session, released_at__isnull=True).select_related("annotator")
    graded = [grade.annotator for grade in pending]
    count = pending.update(released_at=timezone.now())
    url = reverse("session-feedback", args=[session.project.slug, session.pk])
    for annotator in graded:
        notify(
            recipient=annotator,
            kind=NotificationKind.GRADE_RELEASED,
            text=f"Your grade in “{session.name}” is released.",
            url=url,
            project=session.project,
            actor=released_by,
            object_id=session.pk,
        )
    return count
