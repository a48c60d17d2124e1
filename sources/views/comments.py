"""Comments in the reader's margin, the project's comments page, and the caller's notifications
page (docs/collaboration.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from ..models import MailChoice
from ..permissions import can_annotate
from ..selectors.comments import STATES, comments_for_user, comments_in_state, notifications_for_user
from ..selectors.projects import project_for_user
from ..selectors.reader import passage_in_project
from ..services.comments import comment_create, comment_resolve
from ..services.errors import ForbiddenError
from ..services.notifications import mail_choose, mail_wanted, notifications_read_all
from .reader import reading_session, written

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
            parent=parent,
        )  # fmt: skip
    except ValidationError as error:
        return written(request, project, role, passage, "", error, session)
    message = "Comment posted." if parent is None else "Reply posted."
    return written(request, project, role, passage, message, None, session)


@login_required
@require_POST
def comment_toggle(request: HttpRequest, slug: str, comment_id: int) -> HttpResponse:
    """Resolve an open thread, or reopen a resolved one."""
    project, role = project_for_user(request.user, slug)
    comment = get_object_or_404(
        comments_for_user(request.user), pk=comment_id, passage__source__project=project
    )
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
    context = {"project": project, "role": role, "page": page, "states": STATES, "state": state}
    return render(request, "sources/comments/comments.html", context)


@login_required
@require_GET
def notifications_page(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for_user(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "mail": mail_wanted(request.user), "choices": MailChoice.choices}
    return render(request, "sources/comments/notifications.html", context)


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    count = notifications_read_all(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect("notifications")


@login_required
@require_POST
def notification_mail_settings(request: HttpRequest) -> HttpResponse:
    mail = request.POST.get("mail", "")
    if mail not in MailChoice.values:
        messages.error(request, f"Choose one of: {', '.join(MailChoice.values)}.")
        return redirect("notifications")
    mail_choose(user=request.user, mail=mail)
    messages.success(request, "E-mail for notifications: " + MailChoice(mail).label.lower() + ".")
    return redirect("notifications")
