"""The export page: download a dataset now, or prepare a large one in the background and watch its
progress; and the project's frozen releases."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import permissions as roles
from ..formats.spreadsheet import raw_requested
from ..models import AnnotationStatus, ExportJob, JobStatus, Project, Release
from ..selectors.export_pages import export_choices, export_jobs_of, releases_of
from ..selectors.exports import export_dataset
from ..selectors.projects import project_for_user
from ..selectors.visibility import hides_any
from ..selectors.workers import workers_seen_recently
from ..services.exports import FILTER_NAMES, FORMATS, export_filters, export_job_start, export_stream
from ..services.imports import FORMATS as IMPORT_FORMATS
from ..services.releases import release_create
from .htmx import error_response, is_htmx, messages_of

PAGE = "sources/exports/export.html"
DIRECT_LIMIT = 50_000  # annotations; above this the page suggests the background


def _export_project(request: HttpRequest, slug: str):
    project, role = project_for_user(request.user, slug)
    if not roles.can_export(role):
        raise Http404("No such project.")
    return project, role


def _filters_from(data) -> dict:
    return {name: data.get(name, "") for name in FILTER_NAMES}


@login_required
@require_GET
def export_page(request: HttpRequest, slug: str) -> HttpResponse:
    project, role = _export_project(request, slug)
    chosen = _filters_from(request.GET)
    try:
        checked = export_filters(project=project, **chosen)
    except ValidationError:
        checked = export_filters(project=project)
    context = {
        "project": project,
        "role": role,
        "formats": [(name, fmt.label or name) for name, fmt in FORMATS.items()],
        "chosen": chosen,
        "chosen_format": request.GET.get("format", "csv"),
        "raw": raw_requested(request.GET.get("raw")),
        # Without scripts, "Prepare in the background" comes back here to confirm with a POST.
        "prepare": request.GET.get("prepare") == "1",
        "statuses": AnnotationStatus.choices,
        **export_choices(project),
        "count": export_dataset(project=project, filters=checked, viewer=request.user)[1].count(),
        "direct_limit": DIRECT_LIMIT,
        "jobs": export_jobs_of(project, request.user),
        "releases": readable_releases(request.user, project),
        "can_release": roles.can_review(role),
        "can_import": roles.can_manage(role),
        "import_formats": IMPORT_FORMATS,
        "worker_missing": not workers_seen_recently(),
    }
    return render(request, PAGE, context)


def readable_releases(user: AbstractBaseUser, project: Project) -> list[Release]:
    """The project's releases, each marked `readable` unless it holds blind-session work hidden from
    `user` (an annotator, before the session's work is submitted)."""
    releases = list(releases_of(project))
    for release in releases:
        release.readable = not hides_any(user, release.blind_work)
    return releases


def _readable(user: AbstractBaseUser, blind_work: list) -> None:
    """A file written for one user (or from everyone's work) is read by another only when it holds
    nothing a blind session hides from them; it becomes readable once that work is submitted."""
    if hides_any(user, blind_work):
        raise PermissionDenied(
            "This file holds work of a blind session that stays hidden from you until you and its "
            "authors have submitted."
        )


@login_required
@require_GET
def export_download(request: HttpRequest, slug: str) -> HttpResponse:
    project, _ = _export_project(request, slug)
    try:
        filters = export_filters(project=project, **_filters_from(request.GET))
        export = export_stream(
            project=project,
            format=request.GET.get("format", ""),
            filters=filters,
            viewer=request.user,
            raw=raw_requested(request.GET.get("raw")),
        )
    except ValidationError as error:
        messages.error(request, messages_of(error))
        return redirect("export", slug=project.slug)
    response = StreamingHttpResponse(export.chunks, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
@require_POST
def export_job_new(request: HttpRequest, slug: str) -> HttpResponse:
    project, _ = _export_project(request, slug)
    try:
        job = export_job_start(
            project=project,
            user=request.user,
            format=request.POST.get("format", ""),
            filters=_filters_from(request.POST),
        )
    except ValidationError as error:
        if is_htmx(request):
            return error_response(request, error)
        messages.error(request, messages_of(error))
        return redirect("export", slug=project.slug)
    if is_htmx(request):
        return _job_fragment(request, project, job)
    return redirect("export", slug=project.slug)


def _job(request: HttpRequest, slug: str, job_id: int) -> tuple:
    project, _ = _export_project(request, slug)
    job = export_jobs_of(project, request.user).filter(pk=job_id).first()
    if job is None:
        raise Http404("No such export.")
    return project, job


@login_required
@require_GET
def export_job_status(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    """The job's progress fragment, which polls itself until the job is done or failed."""
    project, job = _job(request, slug, job_id)
    return _job_fragment(request, project, job)


def _job_fragment(request: HttpRequest, project: Project, job: ExportJob) -> HttpResponse:
    waiting = job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
    context = {"project": project, "job": job, "worker_missing": waiting and not workers_seen_recently()}
    return render(request, f"{PAGE}#job", context)


@login_required
@require_GET
def export_job_file(request: HttpRequest, slug: str, job_id: int) -> FileResponse:
    _, job = _job(request, slug, job_id)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404("This export is not ready.")
    _readable(request.user, job.blind_work)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)


@login_required
@require_POST
def release_new(request: HttpRequest, slug: str) -> HttpResponse:
    project, role = _export_project(request, slug)
    if not roles.can_review(role):
        return HttpResponseForbidden("Only the project's owners and instructors make releases.")
    release = release_create(
        project=project,
        user=request.user,
        title=request.POST.get("title", "")[:200],
        notes=request.POST.get("notes", ""),
        pseudonymise=request.POST.get("pseudonymise") == "on",
    )
    messages.success(request, f"Release {release.number} is frozen.")
    return redirect("export", slug=project.slug)


@login_required
@require_GET
def release_file(request: HttpRequest, slug: str, number: int) -> FileResponse:
    project, _ = _export_project(request, slug)
    release = releases_of(project).filter(number=number).first()
    if release is None:
        raise Http404("No such release.")
    _readable(request.user, release.blind_work)
    return FileResponse(
        release.file.open("rb"), as_attachment=True, filename=release.file.name.rsplit("/", 1)[-1]
    )
