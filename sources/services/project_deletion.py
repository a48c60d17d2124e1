"""Deleting a project: in batches, each its own transaction, so a project with hundreds of thousands
of tags is deleted by the task worker with progress, never inside a request (which a worker timeout
would cut off, rolling everything back)."""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task

from ..models import Annotation, Discussion, Evidence, JobStatus, Passage, Project, ProjectDeletion, Release
from .errors import ConflictError

BATCH = 2000


def _bulky_rows(project: Project) -> list[QuerySet]:
    """What a project holds in numbers, in an order that never meets a protecting foreign key:
    discussions and evidence hold passages, annotations hold passages, themes and sessions."""
    return [
        Discussion.objects.filter(passage__source__project=project),
        Evidence.objects.filter(claim__project=project),
        Annotation.objects.filter(passage__source__project=project),
        Passage.objects.filter(source__project=project),
    ]


def deletion_total(project: Project) -> int:
    return sum(rows.count() for rows in _bulky_rows(project))


def project_delete(*, project: Project, progress: Callable[[int], None] | None = None) -> None:
    """Delete a project and everything in it, annotations before what they hang from: the models
    protect annotations from being dropped as a side effect, so only this deliberate path removes
    them. Batches commit one by one; interrupted, it leaves an emptier project, and runs again."""
    for rows in _bulky_rows(project):
        while ids := list(rows.order_by().values_list("pk", flat=True)[:BATCH]):
            with transaction.atomic():
                rows.model.objects.filter(pk__in=ids).delete()
            if progress is not None:
                progress(len(ids))
    with transaction.atomic():
        files = [release.file for release in Release.objects.filter(project=project)]
        Release.objects.filter(project=project).delete()
        project.sessions.all().delete()
        # Sub-themes protect their parents; unlinking the hierarchy lets the codebook go with the project.
        project.themes.update(parent=None)
        project.delete()
        transaction.on_commit(lambda: [file.delete(save=False) for file in files])


def project_deletion_start(*, project: Project, user: AbstractBaseUser) -> ProjectDeletion:
    """Archive the project (nobody changes it meanwhile) and queue its deletion for the task worker."""
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)
        running = ProjectDeletion.objects.filter(
            project_slug=project.slug, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        ).first()
        if running is not None:
            raise ConflictError("The project is already being deleted.", existing_id=running.pk)
        Project.objects.filter(pk=project.pk).update(archived=True)
        job = ProjectDeletion.objects.create(
            project_slug=project.slug,
            project_name=project.name,
            requested_by=user,
            total=deletion_total(project),
        )
    project_deletion_task.enqueue(job.pk)
    return job


@task()
def project_deletion_task(job_id: int) -> None:
    project_deletion_run(job_id=job_id)


def project_deletion_run(*, job_id: int) -> ProjectDeletion:
    job = ProjectDeletion.objects.get(pk=job_id)
    ProjectDeletion.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    deleted = 0

    def progress(count: int) -> None:
        nonlocal deleted
        deleted += count
        ProjectDeletion.objects.filter(pk=job.pk).update(done=deleted)

    try:
        project = Project.objects.filter(slug=job.project_slug).first()
        if project is not None:
            project_delete(project=project, progress=progress)
    except Exception as exc:
        ProjectDeletion.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=str(exc), finished=timezone.now()
        )
        raise
    ProjectDeletion.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, done=max(deleted, job.total), finished=timezone.now()
    )
    job.refresh_from_db()
    return job
