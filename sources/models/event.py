"""What happened in a project, in order: the live pages and the event stream read it
(docs/collaboration.md)."""

from django.conf import settings
from django.db import models

from .project import Project
from .session import Session


class Event(models.Model):
    """One change someone made (a tag, a review decision, a comment), or a notification for one person.

    `author` and `session` say whose work it concerns and where, so that a blind session hides the
    event exactly as it hides the work; `recipient`, when set, is the only person who receives it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["project", "id"], name="event_project_id")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
