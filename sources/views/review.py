"""The review queue: leads approve or reject submitted annotations and evidence links, one at a time
(from the keyboard, review.js) or many at once; each decision is a Review and updates in place."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ..models import Decision, Project
from ..permissions import can_review
from ..selectors.projects import memberships_of, project_for_user
from ..selectors.reader import themes_of
from ..selectors.review_queue import (
    STATUSES,
    ReviewFilters,
    review_annotation_item,
    review_evidence_item,
    review_queue,
    review_targets,
)
from ..selectors.session_pages import project_sessions
from ..selectors.sources import sources_for_user
from ..services.reviews import review_create
from .htmx import flash, is_htmx, messages_of
from .themes import theme_version

QUEUE = "sources/review/queue.html"
BULK_LIMIT = 500
DECISIONS = (Decision.APPROVE, Decision.REJECT)
DONE = {Decision.APPROVE: "Approved", Decision.REJECT: "Rejected"}


def review_project(request: HttpRequest, slug: str) -> tuple[Project, str]:
    """The project, for its owners and instructors: 404 for non-members, 403 for other members."""
    project, role = project_for_user(request.user, slug)
    if not can_review(role):
        raise PermissionDenied("Only the project's owners and instructors review.")
    return project, role


def queue_url(project: Project, filters: ReviewFilters) -> str:
    query = urlencode(filters.query())
    return reverse("review", args=[project.slug]) + (f"?{query}" if query else "")


def _queue_context(request: HttpRequest, project: Project, role: str, filters: ReviewFilters) -> dict:
    queue = review_queue(request.user, project, filters)
    base = reverse("dashboard", args=[project.slug])
    for item in queue.items:
        item.url = f"{base}review/{item.kind}/{item.target.pk}/"
    return {
        "project": project,
        "role": role,
        "queue": queue,
        "filters": filters,
        "filter_query": urlencode(filters.query()),
        "pages": {
            "previous": urlencode(filters.query(page=filters.page - 1)) if filters.page > 1 else None,
            "next": urlencode(filters.query(page=filters.page + 1)) if filters.page < queue.pages else None,
        },
        "kinds": {kind: urlencode(filters.query(kind=kind, page=1)) for kind in ("annotations", "evidence")},
    }


@login_required
@require_GET
def review_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The queue with its filters; for htmx, only the queue, which the filters re-request."""
    project, role = review_project(request, slug)
    filters = ReviewFilters.from_query(request.GET)
    context = _queue_context(request, project, role, filters)
    if is_htmx(request):
        return render(request, f"{QUEUE}#queue", context)
    themes = themes_of(project)
    context |= {
        "themes": themes,
        "theme_version": theme_version(themes),
        "statuses": STATUSES,
        "sessions": project_sessions(request.user, project, role),
        "members": memberships_of(project, request.user),
        "sources": sources_for_user(request.user).filter(project=project).only("id", "title"),
    }
    return render(request, QUEUE, context)


def _item(request: HttpRequest, project: Project, kind: str, target_id: int):
    if kind == "annotation":
        item = review_annotation_item(request.user, project, target_id)
    elif kind == "evidence":
        item = review_evidence_item(request.user, project, target_id)
    else:
        raise Http404("Nothing to review here.")
    item.url = request.path
    return item


@login_required
@require_POST
def review_decide(request: HttpRequest, slug: str, kind: str, target_id: int) -> HttpResponse:
    """Approve or reject one item (a comment is required to reject); answers with the item re-rendered."""
    project, _ = review_project(request, slug)
    item = _item(request, project, kind, target_id)
    decision = request.POST.get("decision", "")
    comment = request.POST.get("comment", "").strip()
    error = None
    try:
        if decision not in DECISIONS:
            raise ValidationError({"decision": "Approve or reject."})
        review_create(reviewer=request.user, decision=decision, comment=comment, **{kind: item.target})
    except ValidationError as refusal:
        error = messages_of(refusal)
    filters = ReviewFilters.from_query(request.GET)
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, f"{DONE[decision]} the {kind}.")
        return redirect(queue_url(project, filters))
    context = {"project": project, "filters": filters, "filter_query": urlencode(filters.query())}
    if error:
        context |= {"item": item, "error": error, "comment": comment}
        return render(request, f"{QUEUE}#item", context, status=422)
    context |= {"item": _item(request, project, kind, target_id), "just_decided": True}
    response = render(request, f"{QUEUE}#item", context)
    response.write(
        flash(request, f"{DONE[decision]} the {kind} by {item.target.author.get_username()}.", oob=True)
    )
    return response


@login_required
@require_POST
def review_bulk(request: HttpRequest, slug: str) -> HttpResponse:
    """One decision, with one comment, on every item ticked: all of them or none."""
    project, role = review_project(request, slug)
    filters = ReviewFilters.from_query(request.GET)
    decision = request.POST.get("decision", "")
    comment = request.POST.get("comment", "").strip()
    keys = request.POST.getlist("items")[: BULK_LIMIT + 1]
    annotations, evidence = review_targets(request.user, project, keys)
    error, message = None, ""
    try:
        if decision not in DECISIONS:
            raise ValidationError({"decision": "Approve or reject."})
        if not annotations and not evidence:
            raise ValidationError({"items": "Tick at least one item first."})
        if len(keys) > BULK_LIMIT:
            raise ValidationError({"items": f"Review at most {BULK_LIMIT} items at once."})
        with transaction.atomic():
            for annotation in annotations:
                review_create(
                    reviewer=request.user, decision=decision, comment=comment, annotation=annotation
                )
            for link in evidence:
                review_create(reviewer=request.user, decision=decision, comment=comment, evidence=link)
        count = len(annotations) + len(evidence)
        message = f"{DONE[decision]} {count} item{'' if count == 1 else 's'}."
    except ValidationError as refusal:
        error = messages_of(refusal)
    if not is_htmx(request):
        (messages.error if error else messages.success)(request, error or message)
        return redirect(queue_url(project, filters))
    context = _queue_context(request, project, role, filters) | {
        "bulk_error": error,
        "bulk_comment": comment if error else "",
        "selected": set(keys) if error else set(),
    }
    response = render(request, f"{QUEUE}#queue", context, status=422 if error else 200)
    response.write(flash(request, error or message, "error" if error else "ok", oob=True))
    return response
