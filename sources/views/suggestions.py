"""The suggestions page for owners and instructors: how good each recommender is per theme, the
threshold that decides what annotators are offered, training now, and accepting many suggestions
at once as draft tags of a chosen member (with undo). The reader's accept and reject are here too."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ..models import BulkAcceptance, Project, Recommender, Suggestion
from ..permissions import WRITERS, can_annotate
from ..selectors.projects import project_for_user
from ..selectors.reader import project_themes
from ..selectors.suggestions import evaluations_of, offered_to
from ..services.recommender_training import settings_of, threshold_set, training_requested
from ..services.suggestions import bulk_accept, bulk_undo, suggestion_accept, suggestion_reject
from .reader import WRITE_ERRORS, written
from .review import review_project
from .suggestion_forms import BulkAcceptForm, ThresholdForm

PAGE = "sources/suggestions/page.html"


def _members(project: Project) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(memberships__project=project, memberships__role__in=WRITERS)
        .order_by("username")
    )


def _bulk_form(project: Project, data: QueryDict | None = None) -> BulkAcceptForm:
    return BulkAcceptForm(
        data,
        themes=project_themes(project),
        sources=project.sources.defer("text").order_by("title"),
        members=_members(project),
    )


def _page_url(project: Project) -> str:
    return reverse("suggestions", args=[project.slug])


@login_required
@require_GET
def suggestions_page(request: HttpRequest, slug: str) -> HttpResponse:
    project, role = review_project(request, slug)
    settings = settings_of(project)
    stored = {
        (row["theme"], row["recommender"]): row
        for row in Suggestion.objects.filter(project=project)
        .values("theme", "recommender")
        .annotate(count=Count("id"), best=Max("score"))
        .order_by()
    }
    evaluations = list(evaluations_of(project))
    for evaluation in evaluations:
        evaluation.stored = stored.get((evaluation.theme_id, evaluation.recommender), {}).get("count", 0)
    imported = [row for key, row in stored.items() if key[1] == Recommender.IMPORTED]
    context = {
        "project": project,
        "role": role,
        "settings": settings,
        "evaluations": evaluations,
        "imported": sum(row["count"] for row in imported),
        "threshold_form": ThresholdForm(
            initial={"min_precision": settings.min_precision, "min_examples": settings.min_examples}
        ),
        "bulk_form": _bulk_form(project),
        "acceptances": BulkAcceptance.objects.filter(project=project).select_related(
            "theme", "source", "author"
        )[:10],
    }
    return render(request, PAGE, context)


@login_required
@require_POST
def suggestions_threshold(request: HttpRequest, slug: str) -> HttpResponse:
    project, _ = review_project(request, slug)
    form = ThresholdForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(_page_url(project))
    threshold_set(project=project, **form.cleaned_data)
    messages.success(request, "Saved the threshold: annotators are offered the recommenders that reach it.")
    return redirect(_page_url(project))


@login_required
@require_POST
def suggestions_train(request: HttpRequest, slug: str) -> HttpResponse:
    project, _ = review_project(request, slug)
    training_requested(project.pk, at_once=True)
    messages.success(
        request, "Training queued: the worker retrains the recommenders and stores their suggestions."
    )
    return redirect(_page_url(project))


@login_required
@require_POST
def suggestions_bulk(request: HttpRequest, slug: str) -> HttpResponse:
    project, _ = review_project(request, slug)
    form = _bulk_form(project, request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(_page_url(project))
    data = form.cleaned_data
    try:
        done = bulk_accept(project=project, made_by=request.user, **data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_page_url(project))
    made, theme, who = len(done.annotations), data["theme"].name, data["author"].get_username()
    messages.success(
        request,
        f"Made {made} draft {theme} tag{pluralize(made)} of {who} from suggestions scoring at least "
        f"{data['min_score']:.2f}.",
    )
    return redirect(_page_url(project))


@login_required
@require_POST
def suggestions_bulk_undo(request: HttpRequest, slug: str, bulk_id: int) -> HttpResponse:
    project, _ = review_project(request, slug)
    acceptance = BulkAcceptance.objects.filter(project=project, pk=bulk_id).first()
    if acceptance is None:
        raise Http404("No such bulk acceptance in this project.")
    try:
        removed = bulk_undo(acceptance=acceptance)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_page_url(project))
    messages.success(
        request, f"Undone: removed {removed} draft tag{'s' if removed != 1 else ''} still untouched."
    )
    return redirect(_page_url(project))


def _errors(form: Form) -> str:
    """The form's problems in one line, each after its field's label."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label or name if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)


# --- the reader's accept and reject --------------------------------------------------------------


def _offered(request: HttpRequest, slug: str, suggestion_id: int) -> tuple[Project, str, Suggestion]:
    project, role = project_for_user(request.user, slug)
    if not can_annotate(role):
        raise PermissionDenied("Observers read; they do not tag.")
    suggestion = (
        offered_to(request.user, Suggestion.objects.filter(project=project, pk=suggestion_id))
        .select_related("passage__source")
        .first()
    )
    if suggestion is None:
        raise Http404("No such suggestion for you in this project.")
    return project, role, suggestion


@login_required
@require_POST
def suggestion_accept_view(request: HttpRequest, slug: str, suggestion_id: int) -> HttpResponse:
    project, role, suggestion = _offered(request, slug, suggestion_id)
    try:
        suggestion_accept(suggestion=suggestion, user=request.user)
    except WRITE_ERRORS as error:
        return written(request, project, role, suggestion.passage, "", error)
    where = (
        f"“{suggestion.quote}”" if suggestion.start is not None else f"passage {suggestion.passage.ordinal}"
    )
    message = f"Accepted the suggestion: tagged {where} as {suggestion.theme.name}."
    return written(request, project, role, suggestion.passage, message)


@login_required
@require_POST
def suggestion_reject_view(request: HttpRequest, slug: str, suggestion_id: int) -> HttpResponse:
    project, role, suggestion = _offered(request, slug, suggestion_id)
    suggestion_reject(suggestion=suggestion, user=request.user)
    message = f"Rejected the {suggestion.theme.name} suggestion; it is not shown to you again."
    return written(request, project, role, suggestion.passage, message)
