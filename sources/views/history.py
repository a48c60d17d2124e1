"""The history page: every change to one annotation, evidence link, claim, theme or comment (who,
when, what changed, why), and restoring an earlier version (comments aside), deletions included.
Without `?model=&id=`, what was deleted lately, for the project's owners and instructors to bring
back.

The rules are the API's (`api/history.py`): every member reads, owners and instructors restore,
annotators restore their own work."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ..models import Project
from ..permissions import can_annotate, can_edit_others, can_restore
from ..selectors.history import history_record, project_id_of
from ..selectors.history_pages import NOUNS, SHOWN, object_history, recently_deleted
from ..selectors.projects import project_for_user
from ..selectors.reader import themes_of
from ..services.errors import ConflictError
from ..services.history import history_restore
from .htmx import error_response, flash, is_htmx, messages_of
from .themes import theme_version

HISTORY = "sources/history/history.html"


def history_url(project: Project, model: str, object_id: int) -> str:
    return f"{reverse('history', args=[project.slug])}?{urlencode({'model': model, 'id': object_id})}"


def _object_context(request: HttpRequest, project: Project, role: str, model: str, object_id: int) -> dict:
    themes = themes_of(project)
    history = object_history(request.user, project, role, model, object_id)
    return {
        "project": project,
        "role": role,
        "history": history,
        "can_restore": can_restore(role, request.user, history.author_id),
        "themes": themes,
        "theme_version": theme_version(themes),
    }


@login_required
@require_GET
def history(request: HttpRequest, slug: str) -> HttpResponse:
    project, role = project_for_user(request.user, slug)
    model, raw_id = request.GET.get("model", ""), request.GET.get("id", "")
    if not model and not raw_id:
        # Leads see everything deleted lately; annotators their own work, which they may restore.
        writer = can_annotate(role)
        mine = None if can_edit_others(role) else request.user
        context = {
            "project": project,
            "role": role,
            "can_restore": writer,
            "deleted": recently_deleted(project, author=mine) if writer else [],
        }
        return render(request, HISTORY, context)
    if model not in SHOWN or not raw_id.isdigit():
        raise Http404("Name an object with ?model=annotation|evidence|claim|theme|comment&id=ID.")
    context = _object_context(request, project, role, model, int(raw_id))
    return render(request, f"{HISTORY}#entries" if is_htmx(request) else HISTORY, context)


@login_required
@require_POST
def history_restore_entry(request: HttpRequest, slug: str, entry_id: str) -> HttpResponse:
    """Bring the object back as it was in one entry; the restore is itself a new entry."""
    project, role = project_for_user(request.user, slug)
    model, record = history_record(entry_id)
    if project_id_of(model, record) != project.pk:
        raise Http404("No such history entry in this project.")
    if not can_restore(role, request.user, getattr(record, "author_id", None)):
        raise PermissionDenied("Only the project's owners and instructors restore others' work from history.")
    # Read it through the page's selector, so that what cannot be seen cannot be restored either.
    object_history(request.user, project, role, model, record.id)
    back = history_url(project, model, record.id)
    try:
        history_restore(model_name=model, record=record, user=request.user)
    except (ValidationError, ConflictError) as error:
        message = f"Not restored: {messages_of(error)}"
        if is_htmx(request):
            refusal = ConflictError(message) if isinstance(error, ConflictError) else ValidationError(message)
            return error_response(request, refusal)
        messages.error(request, message)
        return redirect(back)
    when = record.history_date.strftime("%Y-%m-%d %H:%M")
    message = f"Restored the {NOUNS[model]} as it was on {when}."
    if model == "claim" and record.history_type == "-":
        message += " Evidence links deleted with it are back too."
    if not is_htmx(request):
        messages.success(request, message)
        return redirect(back)
    context = _object_context(request, project, role, model, record.id)
    response = render(request, f"{HISTORY}#entries", context)
    # The title above the entries changes too: the object is no longer marked deleted.
    response.write(render_to_string(f"{HISTORY}#subject", {**context, "oob": True}, request=request))
    response.write(flash(request, message, oob=True))
    return response
