"""Disagreement threads: a fragment for one passage and theme (and session) that other pages load into
a container with `hx-get` (the compare and feedback pages' "Discuss" buttons), and a page of its own
without htmx.

`?passage=ID&theme=ID[&session=ID]` names the disagreement on every request, writes included, so
the answer is always the same fragment re-rendered. Members who annotate start threads and reply;
owners and instructors decide, approving and rejecting the tags of that passage and theme."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ..models import Project
from ..permissions import can_annotate, can_review
from ..selectors.discussion_threads import Disagreement, disagreement, discussion_in_project, tags_to_decide
from ..selectors.feedback import session_of_project
from ..selectors.projects import project_for_user
from ..selectors.reader import passage_in_project, project_themes, themes_of
from ..services.discussions import discussion_comment, discussion_decide, discussion_start
from .feedback_forms import CommentForm, DecisionForm, DiscussionStartForm, service_errors
from .htmx import is_htmx
from .themes import theme_version

THREAD = "sources/discussions/thread.html"


def _number(request: HttpRequest, name: str, required: bool = True) -> int | None:
    value = request.GET.get(name, "")
    if not value and not required:
        return None
    if not value.isdigit():
        raise Http404(f"Name the {name} with ?{name}=ID.")
    return int(value)


def _subject(request: HttpRequest, project: Project) -> Disagreement:
    """The passage, theme and session named in the query string, as the caller may see them."""
    passage = passage_in_project(project, _number(request, "passage"))
    theme = project_themes(project).filter(pk=_number(request, "theme")).first()
    if theme is None:
        raise Http404("No such theme in this project.")
    session_id = _number(request, "session", required=False)
    session = session_of_project(project, session_id) if session_id is not None else None
    return disagreement(request.user, passage, theme, session)


def _query(subject: Disagreement) -> str:
    scope = {"passage": subject.passage.pk, "theme": subject.theme.pk}
    if subject.session is not None:
        scope["session"] = subject.session.pk
    return urlencode(scope)


def _respond(
    request: HttpRequest,
    project: Project,
    role: str,
    subject: Disagreement,
    *,
    message: str = "",
    bound: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    """The thread fragment for htmx (the page around it otherwise); `bound` holds a form with errors
    by the key the template shows it under ("start", or "comment-<id>" / "decide-<id>")."""
    bound = bound or {}
    lead = can_review(role)
    for thread in subject.threads:
        thread.comment_form = bound.get(f"comment-{thread.pk}") or CommentForm(prefix=f"comment-{thread.pk}")
        if lead:
            thread.decision_form = bound.get(f"decide-{thread.pk}") or DecisionForm(
                prefix=f"decide-{thread.pk}", tags=subject.tags
            )
    context = {
        "project": project,
        "role": role,
        "subject": subject,
        "query": _query(subject),
        "can_annotate": can_annotate(role),
        "can_decide": lead,
        "start_form": bound.get("start") or DiscussionStartForm(prefix="start"),
        "open_threads": [t for t in subject.threads if not t.decision],
        "message": message,
        "error": status != 200,
    }
    if is_htmx(request):
        return render(request, f"{THREAD}#panel", context, status=status)
    themes = themes_of(project)
    context.update(themes=themes, theme_version=theme_version(themes))
    return render(request, THREAD, context, status=status)


def _written(
    request: HttpRequest, project: Project, role: str, subject: Disagreement, message: str
) -> HttpResponse:
    if is_htmx(request):
        fresh = disagreement(request.user, subject.passage, subject.theme, subject.session)
        return _respond(request, project, role, fresh, message=message)
    messages.success(request, message)
    return redirect(f"{reverse('discussions', args=[project.slug])}?{_query(subject)}")


def _refused(request, project, role, subject, key: str, form) -> HttpResponse:
    if not is_htmx(request):
        messages.error(request, "Please correct the fields marked below.")
    return _respond(request, project, role, subject, message="Not saved.", bound={key: form}, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def discussions(request: HttpRequest, slug: str) -> HttpResponse:
    """GET the threads about one passage and theme; POST starts a thread."""
    project, role = project_for_user(request.user, slug)
    subject = _subject(request, project)
    if request.method == "GET":
        return _respond(request, project, role, subject)
    if not can_annotate(role):
        raise PermissionDenied("Observers read discussions; they do not start them.")
    form = DiscussionStartForm(request.POST, prefix="start")
    if form.is_valid():
        try:
            discussion_start(
                passage=subject.passage,
                theme=subject.theme,
                session=subject.session,
                started_by=request.user,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            service_errors(form, error)
    if form.errors:
        return _refused(request, project, role, subject, "start", form)
    return _written(request, project, role, subject, "Discussion started.")


def _thread(request: HttpRequest, project: Project, subject: Disagreement, discussion_id: int):
    discussion = discussion_in_project(request.user, project, discussion_id)
    if (discussion.passage_id, discussion.theme_id) != (subject.passage.pk, subject.theme.pk):
        raise Http404("This discussion is about another passage or theme.")
    return discussion


@login_required
@require_POST
def discussion_reply(request: HttpRequest, slug: str, discussion_id: int) -> HttpResponse:
    project, role = project_for_user(request.user, slug)
    if not can_annotate(role):
        raise PermissionDenied("Observers read discussions; they do not reply.")
    subject = _subject(request, project)
    discussion = _thread(request, project, subject, discussion_id)
    form = CommentForm(request.POST, prefix=f"comment-{discussion.pk}")
    if form.is_valid():
        try:
            discussion_comment(discussion=discussion, author=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            service_errors(form, error)
    if form.errors:
        return _refused(request, project, role, subject, f"comment-{discussion.pk}", form)
    return _written(request, project, role, subject, "Reply added.")


@login_required
@require_POST
def discussion_settle(request: HttpRequest, slug: str, discussion_id: int) -> HttpResponse:
    project, role = project_for_user(request.user, slug)
    if not can_review(role):
        raise PermissionDenied("Only the project's owners and instructors decide disagreements.")
    subject = _subject(request, project)
    discussion = _thread(request, project, subject, discussion_id)
    form = DecisionForm(request.POST, prefix=f"decide-{discussion.pk}", tags=subject.tags)
    if form.is_valid():
        approve, reject = form.verdicts()
        chosen = tags_to_decide(discussion, approve + reject)
        try:
            discussion_decide(
                discussion=discussion,
                decided_by=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                approve=[chosen[pk] for pk in approve if pk in chosen],
                reject=[chosen[pk] for pk in reject if pk in chosen],
            )
        except ValidationError as error:
            service_errors(form, error)
    if form.errors:
        return _refused(request, project, role, subject, f"decide-{discussion.pk}", form)
    decision = form.cleaned_data["decision"]
    return _written(request, project, role, subject, f"Decided: {decision}.")
