from django.conf import settings
from django.db import models

from .project import Project
from .source import Source


class Session(models.Model):
    """A team annotation session: who annotates which sources, between which times."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(max_length=200)
    instructions = models.TextField(blank=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    blind = models.BooleanField(
        default=False, help_text="Annotators see only their own work of this session until they submit."
    )
    sources = models.ManyToManyField(Source, related_name="sessions", blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="annotation_sessions", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer_key_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Whose annotations of this session are the answer key participants are scored against.",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "-opens_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="session_closes_after_opening",
                violation_error_message="A session must close after it opens.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Submission(models.Model):
    """A participant's submission of their work in a session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="submissions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "user"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="submission_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user} submitted {self.session}"
