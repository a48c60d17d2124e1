"""Uploaded source files on their way in, and removed sources kept for restoring."""

from django.conf import settings
from django.db import models

from .dataset import JobStatus
from .project import Project
from .source import Source


class UploadStatus(models.TextChoices):
    STAGED = "staged", "Waiting for confirmation"
    QUEUED = JobStatus.QUEUED.value, JobStatus.QUEUED.label
    RUNNING = JobStatus.RUNNING.value, JobStatus.RUNNING.label
    DONE = JobStatus.DONE.value, JobStatus.DONE.label
    FAILED = JobStatus.FAILED.value, JobStatus.FAILED.label


class SourceUpload(models.Model):
    """One uploaded file: staged while its segmentation is previewed, then ingested at once or, above
    the size threshold, by the task worker (the job a 202 answer points to)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="source_uploads")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="source_uploads"
    )
    filename = models.CharField(max_length=255)
    file = models.FileField(upload_to="uploads/", blank=True)
    size = models.PositiveBigIntegerField(default=0)
    metadata = models.JSONField(default=dict, blank=True, help_text="title, authors, year, language")
    status = models.CharField(max_length=16, choices=UploadStatus.choices, default=UploadStatus.STAGED)
    percent = models.PositiveSmallIntegerField(default=0)
    source = models.ForeignKey(Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=UploadStatus.values), name="source_upload_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"


class RemovedSource(models.Model):
    """A deleted source with its passages and the work on them, as rows to write back on restore."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="removed_sources")
    source_id = models.PositiveBigIntegerField(help_text="The id the source had, and gets back.")
    title = models.CharField(max_length=500)
    tag_count = models.PositiveIntegerField(default=0)
    rows = models.JSONField(help_text="model label -> list of field values, in restore order")
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    removed = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-removed", "-id"]

    def __str__(self) -> str:
        return f"removed source {self.source_id} ({self.title})"
