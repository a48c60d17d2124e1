"""My projects, and a project's dashboard."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..permissions import can_annotate
from ..selectors.dashboard import project_activity, project_dashboard
from ..selectors.projects import project_for_user, projects_for_user
from .htmx import is_htmx
from .themes import theme_version

DASHBOARD = "sources/projects/dashboard.html"


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    return render(request, "sources/projects/list.html", {"projects": projects_for_user(request.user)})


@login_required
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """The dashboard; for htmx, only its recent-activity fragment, which the page refreshes."""
    project, role = project_for_user(request.user, slug)
    if is_htmx(request):
        context = {"project": project, "activity": project_activity(request.user, project)}
        return render(request, f"{DASHBOARD}#activity", context)
    summary = project_dashboard(request.user, project)
    context = {
        "project": project,
        "role": role,
        "dashboard": summary,
        "activity": summary.activity,
        "themes": summary.themes,
        "theme_version": theme_version(summary.themes),
        "can_annotate": can_annotate(role),
    }
    return render(request, DASHBOARD, context)
