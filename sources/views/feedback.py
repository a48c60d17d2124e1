"""Feedback for students: their scores against a session's answer key, every difference shown in its
passage, and their grade once released. Instructors pick any participant and see the same page.

The rules are the API's (`api/feedback.py`): an annotator sees only their own feedback and only once
the session has closed; grades only once released; observers see neither."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..permissions import can_annotate, can_review
from ..selectors.feedback import session_feedback, session_of_project, session_participants
from ..selectors.grades import grades_visible_to
from ..selectors.projects import project_for_user
from ..selectors.reader import themes_of
from .themes import theme_version

FEEDBACK = "sources/feedback/feedback.html"


def _chosen(request: HttpRequest, candidates: list) -> object | None:
    """The participant named by `?user=`, else the first; 404 for someone who is not a participant."""
    value = request.GET.get("user", "")
    if not value:
        return candidates[0] if candidates else None
    chosen = next((c for c in candidates if str(c.pk) == value), None)
    if chosen is None:
        raise Http404("No such participant in this session.")
    return chosen


@login_required
@require_GET
def feedback(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    project, role = project_for_user(request.user, slug)
    lead = can_review(role)
    if not lead and not can_annotate(role):
        raise PermissionDenied("Observers do not see scores or grades.")
    session = session_of_project(project, session_id)
    closed = timezone.now() >= session.closes_at
    participants = session_participants(session)
    if lead:
        candidates = [p for p in participants if p.pk != session.answer_key_author_id]
        participant = _chosen(request, candidates)
    else:
        candidates = []
        participant = request.user if any(p.pk == request.user.pk for p in participants) else None
    themes = themes_of(project)
    has_key = session.answer_key_author_id is not None
    is_key = participant is not None and participant.pk == session.answer_key_author_id
    shown = participant is not None and has_key and not is_key and (lead or closed)
    grade = None
    if participant is not None:
        visible = grades_visible_to(session, request.user, role)
        grade = next((g for g in visible if g.user == participant.pk), None)
    context = {
        "project": project,
        "role": role,
        "session": session,
        "closed": closed,
        "lead": lead,
        "candidates": candidates,
        "participant": participant,
        "is_self": participant is not None and participant.pk == request.user.pk,
        "has_key": has_key,
        "feedback": session_feedback(session, participant, themes) if shown else None,
        "grade": grade,
        "themes": themes,
        "theme_version": theme_version(themes),
    }
    return render(request, FEEDBACK, context)
