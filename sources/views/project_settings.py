"""Creating a project, its settings (rename, licence, time zone, archive), and deleting it in the
background with its progress on a page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..models import Project
from ..permissions import can_own
from ..selectors.projects import deletion_of
from ..services.errors import ConflictError
from ..services.project_deletion import project_deletion_start
from ..services.projects import project_create, project_update
from .htmx import is_htmx
from .project_forms import DeleteForm, ProjectForm, SettingsForm
from .zones import zoned_project

NEW = "sources/projects/new.html"
SETTINGS = "sources/projects/settings.html"
DELETION = "sources/projects/deletion.html"


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            project = project_create(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        except ConflictError as conflict:
            form.add_error("slug", conflict.message)
        else:
            messages.success(request, f"Created “{project.name}”. Add sources, a codebook and members next.")
            return redirect("dashboard", slug=project.slug)
    return render(request, NEW, {"form": form}, status=422 if form.errors else 200)


def _owned_project(request: HttpRequest, slug: str) -> tuple[Project, str]:
    project, role = zoned_project(request.user, slug)
    if not can_own(role):
        raise PermissionDenied("Only the project's owners change its settings.")
    return project, role


def _settings_page(
    request: HttpRequest,
    project: Project,
    role: str,
    form: SettingsForm | None = None,
    delete_form: DeleteForm | None = None,
) -> HttpResponse:
    initial = {
        "name": project.name,
        "description": project.description,
        "licence": project.licence,
        "time_zone": project.time_zone,
    }
    context = {
        "project": project,
        "role": role,
        "form": form or SettingsForm(initial=initial),
        "delete_form": delete_form or DeleteForm(slug=project.slug),
    }
    has_errors = bool((form and form.errors) or (delete_form and delete_form.errors))
    return render(request, SETTINGS, context, status=422 if has_errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def project_settings(request: HttpRequest, slug: str) -> HttpResponse:
    project, role = _owned_project(request, slug)
    if request.method == "GET":
        return _settings_page(request, project, role)
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            project_update(project=project, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Settings saved.")
            return redirect("project-settings", slug=project.slug)
    return _settings_page(request, project, role, form=form)


@login_required
@require_POST
def project_archive(request: HttpRequest, slug: str) -> HttpResponse:
    """Archive (`archived=1`) or restore (`archived=0`) the project."""
    project, _ = _owned_project(request, slug)
    archived = request.POST.get("archived") == "1"
    project_update(project=project, archived=archived)
    if archived:
        messages.success(request, "The project is archived: read-only for everyone until you restore it.")
    else:
        messages.success(request, "The project is restored: members can change it again.")
    return redirect("project-settings", slug=project.slug)


@login_required
@require_POST
def project_remove(request: HttpRequest, slug: str) -> HttpResponse:
    project, role = _owned_project(request, slug)
    form = DeleteForm(request.POST, slug=project.slug)
    if not form.is_valid():
        return _settings_page(request, project, role, delete_form=form)
    try:
        deletion = project_deletion_start(project=project, user=request.user)
    except ConflictError as conflict:
        form.add_error(None, conflict.message)
        return _settings_page(request, project, role, delete_form=form)
    return redirect("project-deletion", deletion_id=deletion.pk)


@login_required
@require_GET
def deletion_page(request: HttpRequest, deletion_id: int) -> HttpResponse:
    """The deletion's progress; for htmx, only the progress fragment, which polls itself until done."""
    deletion = deletion_of(request.user, deletion_id)
    template = f"{DELETION}#progress" if is_htmx(request) else DELETION
    return render(request, template, {"deletion": deletion})
