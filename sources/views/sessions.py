"""Team annotation sessions: the project's list, one session's page with live progress, submitting
one's work, and the form leads set a session up with."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..models import Project, Session
from ..permissions import can_manage, can_review
from ..selectors.session_pages import (
    OPEN,
    project_sessions,
    session_choices,
    session_in_project,
    sources_to_do,
)
from ..selectors.sessions import session_progress
from ..services.errors import ConflictError
from ..services.sessions import session_create, session_submit, session_update
from .forms import SessionForm
from .htmx import is_htmx, messages_of
from .zones import zoned_project

LIST = "sources/sessions/list.html"
PAGE = "sources/sessions/session.html"
FORM = "sources/sessions/form.html"


@login_required
@require_GET
def session_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Every session of the project; above them, the caller's open sessions with the passages to do."""
    project, role = zoned_project(request.user, slug)
    sessions = project_sessions(request.user, project, role)
    mine = [s for s in sessions if s.is_participant and s.state == OPEN and s.submitted_at is None]
    to_do = sources_to_do(request.user, [s.pk for s in mine])
    for session in mine:
        session.to_do = to_do.get(session.pk, [])
    context = {
        "project": project,
        "role": role,
        "sessions": sessions,
        "mine": mine,
        "can_manage": can_manage(role),
    }
    return render(request, LIST, context)


def _page_context(request: HttpRequest, project: Project, role: str, session: Session) -> dict:
    progress = session_progress(session)
    return {
        "project": project,
        "role": role,
        "session": session,
        "sources": sources_to_do(request.user, [session.pk]).get(session.pk, []),
        "progress": progress,
        "submitted_count": sum(row.submitted for row in progress.participants),
        "can_manage": can_manage(role),
        "can_review": can_review(role),
        # Leads who do not take part get the review links instead of a submit panel.
        "shows_my_work": session.is_participant or not can_review(role),
    }


@login_required
@require_GET
def session_page(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    """The session; for htmx, its live part (state, sources, progress), which polls itself while open."""
    project, role = zoned_project(request.user, slug)
    session = session_in_project(request.user, project, session_id, role)
    context = _page_context(request, project, role, session)
    if is_htmx(request):
        # Polled: when the session opened or closed since the page showed it (`shown`), the answer
        # also swaps in the new state line and submit panel; once closed it is no longer polled.
        changed = request.GET.get("shown") != session.state
        return render(request, f"{PAGE}#live", context | {"state_changed": changed})
    return render(request, PAGE, context)


@login_required
@require_POST
def session_submit_work(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    """Submit the caller's work in the session, once they ticked the confirmation."""
    project, role = zoned_project(request.user, slug)
    session = session_in_project(request.user, project, session_id, role)
    error, message = None, ""
    if request.POST.get("confirm") != "yes":
        error = "Tick the box to confirm: submitted work cannot be changed afterwards."
    else:
        try:
            count = session_submit(session=session, user=request.user)
            message = f"Submitted your work: {count} tag{'' if count == 1 else 's'}."
        except (ValidationError, ConflictError) as refusal:
            error = messages_of(refusal)
    if is_htmx(request):
        session = session_in_project(request.user, project, session_id, role)
        context = _page_context(request, project, role, session) | {"error": error, "message": message}
        return render(request, f"{PAGE}#my-work", context, status=422 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect("session", slug=project.slug, session_id=session.pk)


def _managed_project(request: HttpRequest, slug: str) -> tuple[Project, str]:
    project, role = zoned_project(request.user, slug)
    if not can_manage(role):
        raise PermissionDenied("Only the project's owners and instructors set up sessions.")
    return project, role


def _form(project: Project, data=None, initial=None) -> SessionForm:
    sources, members = session_choices(project)
    return SessionForm(data, initial=initial, sources=sources, members=members)


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, slug: str) -> HttpResponse:
    project, role = _managed_project(request, slug)
    form = _form(project, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            session = session_create(project=project, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Session “{session.name}” is set up.")
            return redirect("session", slug=project.slug, session_id=session.pk)
    context = {"project": project, "role": role, "form": form, "editing": None}
    return render(request, FORM, context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    project, role = _managed_project(request, slug)
    session = session_in_project(request.user, project, session_id, role)
    if request.method == "POST":
        form = _form(project, request.POST)
        if form.is_valid():
            try:
                session_update(session=session, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, f"Saved session “{form.cleaned_data['name']}”.")
                return redirect("session", slug=project.slug, session_id=session.pk)
    else:
        initial = {
            "name": session.name,
            "instructions": session.instructions,
            "opens_at": session.opens_at,
            "closes_at": session.closes_at,
            "blind": session.blind,
            "sources": list(session.sources.values_list("pk", flat=True)),
            "participants": list(session.participants.values_list("pk", flat=True)),
        }
        form = _form(project, initial=initial)
    context = {"project": project, "role": role, "form": form, "editing": session}
    return render(request, FORM, context, status=422 if form.errors else 200)
