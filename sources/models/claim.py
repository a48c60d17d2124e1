from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .annotation import Annotation, AnnotationStatus
from .history import acting_user
from .project import Project
from .session import Session
from .source import Passage, Source


class Claim(models.Model):
    """A proposition under study; passages support, contradict or qualify it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="claims")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims")
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="claims"
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claims",
        help_text="The session it was written in; a blind one hides it from other annotators for a while.",
    )
    version = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(get_user=acting_user)

    class Meta:
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Relation(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    QUALIFIES = "qualifies", "Qualifies"


class Evidence(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    passage = models.ForeignKey(Passage, on_delete=models.PROTECT, related_name="evidence")
    annotation = models.ForeignKey(
        Annotation, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence"
    )
    relation = models.CharField(max_length=16, choices=Relation.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evidence")
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        help_text="The session it was linked in; a blind one hides it from other annotators for a while.",
    )
    note = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=AnnotationStatus.choices, default=AnnotationStatus.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(get_user=acting_user)

    class Meta:
        ordering = ["claim", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(relation__in=Relation.values), name="evidence_relation_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AnnotationStatus.values), name="evidence_status_valid"
            ),
            models.UniqueConstraint(
                fields=["claim", "passage", "relation", "author"],
                name="evidence_unique_link",
                violation_error_message="This author already linked this passage to this claim this way.",
            ),
        ]
        indexes = [models.Index(fields=["passage", "relation"], name="evidence_passage_relation")]

    def __str__(self) -> str:
        return f"{self.passage} {self.relation} claim {self.claim_id}"
