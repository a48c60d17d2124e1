"""Classroom feedback: a session's rubric, each annotator's grade on it, and disagreement discussions."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .codebook import Theme
from .history import acting_user
from .session import Session
from .source import Passage


class Criterion(models.Model):
    """One line of a session's grading rubric."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    max_points = models.PositiveIntegerField()
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["session", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "name"], name="criterion_unique_name"),
            models.CheckConstraint(condition=models.Q(max_points__gt=0), name="criterion_has_points"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.max_points})"


class Grade(models.Model):
    """An instructor's grade of one annotator in a session; students see it once released."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="grades")
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grades")
    feedback = models.TextField(blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session", "annotator"]
        constraints = [
            models.UniqueConstraint(fields=["session", "annotator"], name="grade_once_per_annotator")
        ]

    def __str__(self) -> str:
        return f"{self.annotator} in {self.session}"


class Score(models.Model):
    """The points a grade gives on one criterion."""

    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    points = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["grade", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["grade", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(condition=models.Q(points__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.points} on {self.criterion_id}"


class DiscussionDecision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    EDITED = "edited", "Edited"


class Discussion(models.Model):
    """A short thread about a disagreement on one theme of one passage, and how it was settled."""

    passage = models.ForeignKey(Passage, on_delete=models.PROTECT, related_name="discussions")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="discussions")
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="discussions"
    )
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=16, choices=DiscussionDecision.choices, blank=True)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["passage", "theme", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="") | models.Q(decision__in=DiscussionDecision.values),
                name="discussion_decision_valid",
            ),
        ]
        indexes = [models.Index(fields=["passage", "theme"], name="discussion_passage_theme")]

    def __str__(self) -> str:
        return f"{self.theme} on {self.passage}"


class Comment(models.Model):
    """A remark: in a disagreement thread (`discussion`), or on a passage or a span of it (`passage`,
    `start`/`end`, docs/collaboration.md), where a reply names its `parent` and the first comment of
    a thread is resolved and reopened. `mentions` are the members its text names as @username.

    `session`: the session it was written in, when its author was reading one: in a blind session it
    is hidden as the session's work is. A deleted comment that has replies stays, `deleted` and
    without its text, so that the thread still reads."""

    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    passage = models.ForeignKey(
        Passage, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    quote = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edited = models.DateTimeField(null=True, blank=True)
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    deleted = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=acting_user)

    class Meta:
        ordering = ["discussion", "created", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(discussion__isnull=True, passage__isnull=False)
                | models.Q(discussion__isnull=False, passage__isnull=True),
                name="comment_in_thread_or_on_passage",
            )
        ]
        indexes = [models.Index(fields=["passage", "id"], name="comment_passage")]

    def __str__(self) -> str:
        return self.text[:60]
