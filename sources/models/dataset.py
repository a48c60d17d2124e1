"""Exports that run in the background, and frozen dataset releases."""

from django.conf import settings
from django.db import models

from .project import Project


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class BackgroundJob(models.Model):
    """What every task-worker job tells while it runs: its state and how far it got."""

    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def is_running(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)


class ExportJob(BackgroundJob):
    """An export written to a file by the task worker (`manage.py db_worker`), for large datasets."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="export_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    format = models.CharField(max_length=16)
    filters = models.JSONField(default=dict, blank=True)
    done = models.PositiveBigIntegerField(default=0, help_text="Annotations written so far.")
    total = models.PositiveBigIntegerField(default=0, help_text="Annotations the export holds.")
    file = models.FileField(upload_to="exports/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    blind_work = models.JSONField(
        default=list,
        blank=True,
        help_text="[session, author] pairs of blind-session work in the file: who may read it is "
        "decided on each download.",
    )

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=JobStatus.values), name="export_job_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.format} export of {self.project} ({self.status})"


class Release(models.Model):
    """A numbered, frozen copy of a project's approved layer: a zip with the data, the codebook,
    the agreement report, a datasheet and a datapackage.json. Never changed once made."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="releases")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    pseudonymised = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="releases"
    )
    created = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to="releases/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    counts = models.JSONField(default=dict)
    blind_work = models.JSONField(
        default=list,
        blank=True,
        help_text="[session, author] pairs of blind-session work in the file: who may read it is "
        "decided on each download.",
    )

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="release_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.project.slug} release {self.number}"
