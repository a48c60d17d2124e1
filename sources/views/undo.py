"""Undo from any page with a status line: take back one's own last write in the project."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ..permissions import can_annotate
from ..selectors.projects import project_for_user
from ..services.errors import ConflictError, StaleVersionError
from ..services.undo import undo_last
from .htmx import flash, is_htmx, messages_of, trigger
from .reader import passage_url, undo_url


@login_required
@require_POST
def undo(request: HttpRequest, slug: str) -> HttpResponse:
    """For htmx, the status line (with Undo again, for the step before) and an `undone` event naming
    the passage, which the reader re-renders; a plain form goes back to that passage."""
    project, role = project_for_user(request.user, slug)
    if not can_annotate(role):
        raise PermissionDenied("Observers read; they have nothing to undo.")
    try:
        undone = undo_last(user=request.user, project=project)
    except (ValidationError, ConflictError, StaleVersionError) as error:
        if is_htmx(request):
            # Answered, not failed: the status line says why nothing was undone.
            return HttpResponse(flash(request, f"Not undone: {messages_of(error)}", "error"))
        messages.error(request, f"Not undone: {messages_of(error)}")
        back = request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
        return redirect(back if safe and back else reverse("dashboard", args=[project.slug]))
    passage = undone.passage
    if not is_htmx(request):
        messages.success(request, undone.message)
        return redirect(passage_url(project, passage.source_id, passage.ordinal))
    response = HttpResponse(flash(request, undone.message, undo_url=undo_url(project)))
    detail = {"passage": passage.pk, "source": passage.source_id, "ordinal": passage.ordinal}
    return trigger(response, "undone", detail)
