"""Rubrics and grades as the caller may see them: instructors all, a student only their own, once released."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet

from .. import permissions as roles
from ..models import Criterion, Grade, Score, Session


def rubric_of(session: Session) -> QuerySet[Criterion]:
    return Criterion.objects.filter(session=session).order_by("order", "id")


@dataclass(frozen=True)
class CriterionPoints:
    criterion: int
    name: str
    points: Decimal | None
    max_points: int


@dataclass
class GradeView:
    user: int
    username: str
    feedback: str
    released_at: datetime | None
    scores: list[CriterionPoints] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((s.points or Decimal(0) for s in self.scores), Decimal(0))

    @property
    def max_total(self) -> int:
        return sum(s.max_points for s in self.scores)


def grades_visible_to(session: Session, user: AbstractBaseUser, role: str | None) -> list[GradeView]:
    """Three queries whatever the number of grades: criteria, grades with users, their scores."""
    grades = Grade.objects.filter(session=session).select_related("annotator").order_by("annotator__username")
    if not roles.can_review(role):
        grades = grades.filter(annotator=user, released_at__isnull=False)
    criteria = list(rubric_of(session))
    grades = grades.prefetch_related(
        Prefetch("scores", queryset=Score.objects.only("grade_id", "criterion_id", "points"))
    )
    views = []
    for grade in grades:
        points = {s.criterion_id: s.points for s in grade.scores.all()}
        views.append(
            GradeView(
                user=grade.annotator_id,
                username=grade.annotator.username,
                feedback=grade.feedback,
                released_at=grade.released_at,
                scores=[CriterionPoints(c.pk, c.name, points.get(c.pk), c.max_points) for c in criteria],
            )
        )
    return views
