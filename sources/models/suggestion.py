from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce

from .codebook import Theme
from .project import Project
from .source import Passage, Source


class Recommender(models.TextChoices):
    PHRASE = "phrase", "Phrase matcher"
    CLASSIFIER = "classifier", "Passage classifier"
    IMPORTED = "imported", "Imported predictions"


class Suggestion(models.Model):
    """A theme a recommender proposes for a passage, or a span of it (null offsets: the whole passage).

    Stored by the training run that made it; never exported, never counted in agreement."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="suggestions")
    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="suggestions")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="suggestions")
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    quote = models.TextField(blank=True)
    score = models.FloatField()
    recommender = models.CharField(max_length=16, choices=Recommender.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["passage", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=1), name="suggestion_score_probability"
            ),
            models.CheckConstraint(
                condition=models.Q(recommender__in=Recommender.values), name="suggestion_recommender_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["project", "recommender", "theme"], name="suggestion_project_rec"),
            models.Index(fields=["passage", "theme"], name="suggestion_passage_theme"),
        ]

    def __str__(self) -> str:
        return f"{self.theme_id} on {self.passage_id} ({self.recommender} {self.score:.2f})"


class SuggestionRejection(models.Model):
    """A user's no to a theme on a passage or span: not suggested to them again, and a negative
    example for the next training run. Kept by what it rejects, so it outlives retraining."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="suggestion_rejections")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="suggestion_rejections")
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "user",
                "passage",
                "theme",
                Coalesce("start", -1),
                Coalesce("end", -1),
                name="suggestion_rejection_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} rejected {self.theme_id} on {self.passage_id}"


class RecommenderEvaluation(models.Model):
    """A recommender's cross-validated figures for one theme, from its latest training run;
    `offered`: whether they beat the project's threshold, so annotators see its suggestions."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="recommender_evaluations")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="recommender_evaluations")
    recommender = models.CharField(max_length=16, choices=Recommender.choices)
    precision = models.FloatField()
    recall = models.FloatField()
    f1 = models.FloatField()
    examples = models.PositiveIntegerField(help_text="Training tags of the theme the figures rest on.")
    offered = models.BooleanField(default=False)
    trained_at = models.DateTimeField()

    class Meta:
        ordering = ["project", "theme", "recommender"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "recommender"], name="evaluation_once_per_theme"),
        ]

    def __str__(self) -> str:
        return f"{self.recommender} on {self.theme_id}: precision {self.precision:.2f}"


class RecommenderSettings(models.Model):
    """What a recommender must reach on a theme before annotators see its suggestions, and when the
    project's recommenders were last trained (`queued_at`: a training run is waiting)."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="recommender_settings")
    min_precision = models.FloatField(default=0.6)
    min_examples = models.PositiveIntegerField(default=10)
    trained_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_precision__gte=0, min_precision__lte=1),
                name="threshold_precision_probability",
            ),
        ]

    def __str__(self) -> str:
        return f"Recommenders of {self.project_id}"


class BulkAcceptance(models.Model):
    """Suggestions accepted at once as draft tags of `author`; `annotations` lists the tags made,
    so that the step can be undone."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="bulk_acceptances")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    min_score = models.FloatField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    annotations = models.JSONField(default=list)
    created = models.DateTimeField(auto_now_add=True)
    undone = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{len(self.annotations)} tags of {self.theme_id} for {self.author_id}"
