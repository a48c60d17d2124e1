from django.conf import settings
from django.db import models

from .annotation import Annotation
from .claim import Evidence


class Decision(models.TextChoices):
    APPROVE = "approve", "Approve"
    REJECT = "reject", "Reject"
    COMMENT = "comment", "Comment"


class Review(models.Model):
    """One reviewer decision on an annotation or an evidence link; the latest sets its status."""

    annotation = models.ForeignKey(
        Annotation, on_delete=models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    evidence = models.ForeignKey(
        Evidence, on_delete=models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    decision = models.CharField(max_length=16, choices=Decision.choices)
    comment = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(annotation__isnull=False) & models.Q(evidence__isnull=True))
                | (models.Q(annotation__isnull=True) & models.Q(evidence__isnull=False)),
                name="review_exactly_one_target",
                violation_error_message="A review is of exactly one annotation or one evidence link.",
            ),
            models.CheckConstraint(
                condition=models.Q(decision__in=Decision.values), name="review_decision_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision} by {self.reviewer}"
