"""Deleting a project in the background: the job outlives the project, so it names it by slug."""

from django.conf import settings
from django.db import models

from .dataset import BackgroundJob, JobStatus


class ProjectDeletion(BackgroundJob):
    project_slug = models.SlugField(max_length=64)
    project_name = models.CharField(max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_deletions"
    )
    done = models.PositiveBigIntegerField(default=0, help_text="Rows deleted so far.")
    total = models.PositiveBigIntegerField(default=0, help_text="Rows to delete.")

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=JobStatus.values), name="project_deletion_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"deletion of {self.project_slug} ({self.status})"
