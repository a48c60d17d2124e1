from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from .codebook import Theme
from .history import acting_user
from .session import Session
from .source import Passage


class AnnotationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Annotation(models.Model):
    """A theme on a passage, or on a span of it; null offsets tag the whole passage."""

    # Indexed by `annotation_passage_theme`, which begins with it.
    passage = models.ForeignKey(Passage, on_delete=models.PROTECT, related_name="annotations", db_index=False)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="annotations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations")
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    quote = models.TextField(blank=True)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=AnnotationStatus.choices, default=AnnotationStatus.DRAFT)
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, null=True, blank=True, related_name="annotations"
    )
    suggestion = models.ForeignKey(
        "Suggestion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    suggested_by = models.CharField(
        max_length=16, blank=True, help_text="The recommender whose suggestion this tag was accepted from."
    )
    version = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(get_user=acting_user)

    class Meta:
        ordering = ["passage", "start", "id"]
        constraints = [
            # NULL offsets and NULL session count as equal, so a whole-passage tag cannot be doubled.
            models.UniqueConstraint(
                "author",
                "passage",
                "theme",
                Coalesce("start", -1),
                Coalesce("end", -1),
                Coalesce("session", 0),
                name="annotation_unique_tag",
                violation_error_message="This author already has this tag on this passage and span.",
            ),
            models.CheckConstraint(
                condition=(models.Q(start__isnull=True) & models.Q(end__isnull=True))
                | models.Q(start__isnull=False, end__isnull=False, start__gte=0, start__lte=models.F("end")),
                name="annotation_span_valid",
                violation_error_message="A span needs both start and end, with 0 <= start <= end.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AnnotationStatus.values), name="annotation_status_valid"
            ),
        ]
        indexes = [
            # Every column the analysis views filter the tags by, after the passage and its theme:
            # PostgreSQL reads a project's tags in passage order from the index alone
            # (selectors/analysis/counts.py).
            models.Index(
                fields=["passage", "theme", "status", "author", "session"], name="annotation_passage_theme"
            ),
            models.Index(fields=["theme", "status"], name="annotation_theme_status"),
            models.Index(fields=["author", "status"], name="annotation_author_status"),
            models.Index(fields=["session", "author"], name="annotation_session_author"),
        ]

    def __str__(self) -> str:
        return f"{self.theme} on {self.passage}"

    @property
    def is_span(self) -> bool:
        return self.start is not None
