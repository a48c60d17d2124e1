"""Comments in the reader's margin, the project's comments page, the caller's notifications page
and their e-mail settings (docs/collaboration.md)."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..models import Comment, MailChoice, Project
from ..permissions import can_annotate
from ..selectors.comments import STATES, comments_for_user, comments_in_state, notifications_for_user
from ..selectors.projects import project_for_user
from ..selectors.reader import passage_in_project
from ..services.comments import comment_create, comment_delete, comment_edit, comment_resolve
from ..services.errors import ForbiddenError
from ..services.notifications import mail_choice, mail_choose, notifications_read_all
from .htmx import messages_of
from .reader import prepare_comment, reading_session, written

PAGE_SIZE = 50


def _number(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 12 else None


@login_required
@require_POST
def comment_new(request: HttpRequest, slug: str, passage_id: int) -> HttpResponse:
    """A comment on the passage (on `start`..`end` of it when given), or a reply (`parent`)."""
    project, role = project_for_user(request.user, slug)
    if not can_annotate(role):
        raise PermissionDenied("Your role in this project does not allow writing comments.")
    passage = passage_in_project(project, passage_id)
    session = reading_session(request, project, role)
    parent = None
    if request.POST.get("parent"):
        parent_id = _number(request.POST["parent"])
        parent = comments_for_user(request.user).filter(pk=parent_id, passage=passage).first()
        if parent is None:
            error = ValidationError("The comment replied to is not on this passage.")
            return written(request, project, role, passage, "", error, session)
    start, end = _number(request.POST.get("start", "")), _number(request.POST.get("end", ""))
    try:
        comment_create(
            passage=passage, author=request.user, text=request.POST.get("text", ""), start=start, end=end,
            parent=parent, session=session,
        )  # fmt: skip
    except ValidationError as error:
        return written(request, project, role, passage, "", error, session)
    message = "Comment posted." if parent is None else "Reply posted."
    return written(request, project, role, passage, message, None, session)


def _comment_in(request: HttpRequest, slug: str, comment_id: int) -> tuple[Project, str, Comment]:
    """The project, the caller's role and one of its comments the caller may read (404 otherwise)."""
    project, role = project_for_user(request.user, slug)
    comment = get_object_or_404(
        comments_for_user(request.user), pk=comment_id, passage__source__project=project
    )
    return project, role, comment


def _changed(
    request: HttpRequest, project: Project, role: str, comment: Comment, message: str, error: Exception | None
) -> HttpResponse:
    """Answer a change to a comment: back to the comments page when it came from there (`back`),
    the re-rendered passage otherwise."""
    if request.POST.get("back") == "comments":
        if error is not None:
            messages.error(request, messages_of(error))
        else:
            messages.success(request, message)
        anchor = f"#comment-{comment.pk}" if comment.pk is not None else ""  # gone when deleted
        return redirect(f"{reverse('comments', args=[project.slug])}{anchor}")
    session = reading_session(request, project, role)
    return written(request, project, role, comment.passage, message, error, session)


def _apply(
    request: HttpRequest, slug: str, comment_id: int, change: Callable[[Comment, str], object], message: str
) -> HttpResponse:
    """Make `change` (given the comment and the caller's role) and answer it; refused: 403, or the
    form's message."""
    project, role, comment = _comment_in(request, slug, comment_id)
    try:
        change(comment, role)
    except ForbiddenError as error:
        raise PermissionDenied(str(error)) from None
    except ValidationError as error:
        return _changed(request, project, role, comment, "", error)
    return _changed(request, project, role, comment, message, None)


@login_required
@require_POST
def comment_change(request: HttpRequest, slug: str, comment_id: int) -> HttpResponse:
    """Its author changes the text of a comment."""

    def edit(comment: Comment, role: str) -> Comment:
        return comment_edit(comment=comment, editor=request.user, text=request.POST.get("text", ""))

    return _apply(request, slug, comment_id, edit, "Comment changed.")


@login_required
@require_POST
def comment_remove(request: HttpRequest, slug: str, comment_id: int) -> HttpResponse:
    """Its author deletes a comment (owners and instructors any); one with replies stays as deleted."""

    def remove(comment: Comment, role: str) -> None:
        comment_delete(comment=comment, editor=request.user, role=role)

    return _apply(request, slug, comment_id, remove, "Comment deleted.")


@login_required
@require_POST
def comment_toggle(request: HttpRequest, slug: str, comment_id: int) -> HttpResponse:
    """Resolve an open thread, or reopen a resolved one."""
    project, role, comment = _comment_in(request, slug, comment_id)
    session = reading_session(request, project, role)
    resolved = comment.resolved_at is None
    try:
        comment_resolve(comment=comment, user=request.user, role=role, resolved=resolved)
    except ForbiddenError as error:
        raise PermissionDenied(str(error)) from None
    except ValidationError as error:
        return written(request, project, role, comment.passage, "", error, session)
    message = "Resolved." if resolved else "Reopened."
    return written(request, project, role, comment.passage, message, None, session)


@login_required
@require_GET
def comments_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The project's comments, newest first: all, open, resolved, mine or mentioning me."""
    project, role = project_for_user(request.user, slug)
    state = request.GET.get("state", "")
    state = state if state in STATES else ""
    comments = comments_in_state(
        comments_for_user(request.user).filter(passage__source__project=project), state, request.user
    )
    page = Paginator(comments.select_related("passage__source"), PAGE_SIZE).get_page(request.GET.get("page"))
    base = reverse("dashboard", args=[project.slug])
    for comment in page:
        prepare_comment(comment, base, "", role, request.user)
    context = {"project": project, "role": role, "page": page, "states": STATES, "state": state}
    return render(request, "sources/comments/comments.html", context)


@login_required
@require_GET
def notifications_page(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for_user(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "mail": MailChoice(mail_choice(request.user)).label}
    return render(request, "sources/comments/notifications.html", context)


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    count = notifications_read_all(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect("notifications")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    """The caller's e-mail choice: none, one for each notification, or a daily digest."""
    if request.method == "POST":
        mail = request.POST.get("mail", "")
        if mail not in MailChoice.values:
            messages.error(request, f"Choose one of: {', '.join(MailChoice.values)}.")
        else:
            mail_choose(user=request.user, mail=mail)
            messages.success(request, "E-mail for notifications: " + MailChoice(mail).label.lower() + ".")
        return redirect("notification-settings")
    context = {"mail": mail_choice(request.user), "choices": MailChoice.choices}
    return render(request, "sources/comments/settings.html", context)
