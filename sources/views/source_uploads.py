"""Adding sources in the browser: many files at once (or pasted text), a preview of each file's
segmentation with its metadata to confirm, then per-file results — large files go to the task worker
and their row follows its progress. Editing a source's metadata, deleting it and restoring it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import permissions as roles
from ..models import Project, Source, UploadStatus
from ..selectors.projects import project_for_user
from ..selectors.sources import sources_for_user
from ..selectors.uploads import removed_sources_of, source_uploads_for_user, uploads_in
from ..services.errors import ConflictError
from ..services.source_removal import removal_counts, source_delete, source_restore
from ..services.source_uploads import (
    upload_confirm,
    upload_discard,
    upload_preview,
    upload_stage,
    upload_stage_text,
)
from ..services.sources import source_update
from .codebook_forms import SourceEditForm, SourceMetadataForm
from .htmx import messages_of

NEW = "sources/uploads/new.html"
MAX_FILES = 50


def _managed(request: HttpRequest, slug: str) -> tuple[Project, str]:
    project, role = project_for_user(request.user, slug)
    if not roles.can_manage(role):
        raise PermissionDenied("Only the project's owners and instructors add and change sources.")
    return project, role


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()][:MAX_FILES]


def _initial(values: dict) -> dict:
    return {**values, "authors": "; ".join(values.get("authors") or [])}


@login_required
@require_http_methods(["GET", "POST"])
def source_new(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the upload form, or with ?preview=<ids> the staged files' previews. POST: stage the files
    (and pasted text), then show their previews."""
    project, role = _managed(request, slug)
    if request.method == "POST":
        staged, problems = [], []
        files = request.FILES.getlist("files")[:MAX_FILES]
        for file in files:
            try:
                staged.append(upload_stage(project=project, user=request.user, file=file))
            except ValidationError as error:
                problems.append(messages_of(error))
        if request.POST.get("text", "").strip():
            staged.append(
                upload_stage_text(
                    project=project,
                    user=request.user,
                    text=request.POST["text"],
                    title=request.POST.get("title", ""),
                )
            )
        for problem in problems:
            messages.error(request, problem)
        if not staged:
            if not problems:
                messages.error(request, "Choose one or more .txt, .md or .pdf files, or paste some text.")
            return redirect("source-new", slug=project.slug)
        return redirect(
            reverse("source-new", args=[project.slug]) + "?preview=" + ",".join(str(u.pk) for u in staged)
        )
    previews = []
    for upload in uploads_in(project, _ids(request.GET.get("preview", "").split(","))):
        if upload.status != UploadStatus.STAGED:
            continue
        preview = upload_preview(upload)
        preview.form = SourceMetadataForm(
            initial=_initial(preview.metadata), prefix=f"u{upload.pk}", title_required=False
        )
        previews.append(preview)
    context = {
        "project": project,
        "role": role,
        "previews": previews,
        "removed": removed_sources_of(project),
    }
    return render(request, NEW, context)


@login_required
@require_POST
def source_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """Ingest the confirmed files; a file that fails says why, and the others are imported still."""
    project, role = _managed(request, slug)
    results = []
    for upload in uploads_in(project, _ids(request.POST.getlist("upload"))):
        if upload.status != UploadStatus.STAGED:
            continue
        if request.POST.get(f"u{upload.pk}-skip") == "on":
            upload_discard(upload=upload)
            continue
        form = SourceMetadataForm(request.POST, prefix=f"u{upload.pk}", title_required=False)
        metadata = form.metadata() if form.is_valid() else {}
        if not form.is_valid():
            upload.error = "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())
            results.append(upload)
            continue
        results.append(upload_confirm(upload=upload, metadata=metadata))
    context = {"project": project, "role": role, "results": results}
    return render(request, "sources/uploads/results.html", context)


@login_required
@require_GET
def upload_status(request: HttpRequest, slug: str, upload_id: int) -> HttpResponse:
    """One file's row, which polls itself while the worker ingests it."""
    project, _ = _managed(request, slug)
    upload = source_uploads_for_user(request.user).filter(project=project, pk=upload_id).first()
    if upload is None:
        raise Http404("No such upload.")
    return render(request, "sources/uploads/results.html#result", {"project": project, "upload": upload})


def _source(request: HttpRequest, project: Project, source_id: int) -> Source:
    source = sources_for_user(request.user).filter(project=project, pk=source_id).first()
    if source is None:
        raise Http404("No such source.")
    return source


@login_required
@require_http_methods(["GET", "POST"])
def source_edit(request: HttpRequest, slug: str, source_id: int) -> HttpResponse:
    project, role = _managed(request, slug)
    source = _source(request, project, source_id)
    if request.method == "POST":
        form = SourceEditForm(request.POST)
        if form.is_valid():
            try:
                source_update(source=source, **form.metadata())
            except ValidationError as error:
                form.add_error(None, messages_of(error))
            else:
                messages.success(request, f"'{form.cleaned_data['title']}' saved.")
                return redirect("dashboard", slug=project.slug)
    else:
        fields = ("title", "authors", "year", "language", "citation", "notes")
        form = SourceEditForm(initial=_initial({f: getattr(source, f) for f in fields}))
    context = {
        "project": project,
        "role": role,
        "source": source,
        "form": form,
        "counts": removal_counts(source),
    }
    return render(request, "sources/uploads/edit.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def source_remove(request: HttpRequest, slug: str, source_id: int) -> HttpResponse:
    project, _ = _managed(request, slug)
    source = _source(request, project, source_id)
    try:
        removed = source_delete(source=source, user=request.user)
    except ConflictError as error:
        messages.error(request, error.message)
        return redirect("source-edit", slug=project.slug, source_id=source.pk)
    messages.success(
        request,
        f"'{removed.title}' deleted with {removed.tag_count} tag(s). Restore it from “Deleted sources” "
        "on the Add sources page.",
    )
    return redirect("dashboard", slug=project.slug)


@login_required
@require_POST
def source_unremove(request: HttpRequest, slug: str, removed_id: int) -> HttpResponse:
    project, _ = _managed(request, slug)
    removed = removed_sources_of(project).filter(pk=removed_id).first()
    if removed is None:
        raise Http404("No such deleted source.")
    try:
        source, tags = source_restore(removed=removed, user=request.user)
    except ConflictError as error:
        messages.error(request, error.message)
        return redirect("source-new", slug=project.slug)
    messages.success(request, f"'{source.title}' restored with {tags} tag(s).")
    return redirect("reader", slug=project.slug, source_id=source.pk)
