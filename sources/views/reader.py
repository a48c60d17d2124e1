"""The reader and annotator: a source passage by passage, tagging without page reloads.

Every write answers an htmx request with the re-rendered passage (and a status line out of band),
and a plain form post with a redirect back to the passage, so the page also works without script.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..models import Project
from ..permissions import can_annotate, can_change_own_or_others
from ..selectors.projects import project_for_user
from ..selectors.reader import (
    ReaderPassage,
    annotation_in_project,
    passage_in_project,
    project_themes,
    reader_passage,
    reader_passages,
    source_for_reader,
    themes_of,
)
from ..services.annotations import annotation_create, annotation_delete, annotation_update
from ..services.errors import ConflictError, StaleVersionError
from .forms import NoteForm, TagForm
from .htmx import error_response, flash, is_htmx, messages_of
from .themes import theme_version

TEMPLATE = "sources/reader/source.html"
WRITE_ERRORS = (ValidationError, ConflictError, StaleVersionError)


def prepare(passages: list[ReaderPassage], project: Project, role: str | None, user) -> None:
    """Set what the templates ask of each passage and tag: its URLs, built here once rather than
    reversed thousands of times in template loops, and whether the caller may change each tag
    (leads anyone's, annotators only their own)."""
    base = reverse("dashboard", args=[project.slug])
    for item in passages:
        item.tag_url = f"{base}passages/{item.passage.pk}/annotations/"
        item.link_url = f"{base}passages/{item.passage.pk}/link/"
        for annotation in (*item.whole_tags, *item.span_tags):
            annotation.editable = can_change_own_or_others(role, user, annotation.author_id)
            annotation.edit_url = f"{base}annotations/{annotation.pk}/"
            annotation.delete_url = f"{base}annotations/{annotation.pk}/delete/"


def page_urls(project: Project) -> dict[str, str]:
    return {"claims": reverse("claims", args=[project.slug])}


def passage_url(project: Project, source_id: int, ordinal: int) -> str:
    return f"{reader_url(project, source_id)}#passage-{ordinal}"


def reader_url(project: Project, source_id: int) -> str:
    return reverse("reader", args=[project.slug, source_id])


@login_required
@require_GET
def reader(request: HttpRequest, slug: str, source_id: int) -> HttpResponse:
    project, role = project_for_user(request.user, slug)
    source = source_for_reader(project, source_id)
    passages = reader_passages(request.user, source)
    prepare(passages, project, role, request.user)
    themes = themes_of(project)
    context = {
        "project": project,
        "role": role,
        "source": source,
        "passages": passages,
        "sections": [item.passage for item in passages if item.passage.kind == "heading"],
        "themes": themes,
        "theme_version": theme_version(themes),
        "can_annotate": can_annotate(role),
        "urls": page_urls(project),
    }
    return render(request, f"{TEMPLATE}#passages" if is_htmx(request) else TEMPLATE, context)


def passage_response(
    request: HttpRequest, project: Project, role: str, passage_id: int, message: str
) -> HttpResponse:
    """The re-rendered passage, and the status line swapped out of band."""
    item = reader_passage(request.user, project, passage_id)
    prepare([item], project, role, request.user)
    context = {
        "project": project,
        "item": item,
        "themes": themes_of(project),
        "can_annotate": can_annotate(role),
        "urls": page_urls(project),
    }
    response = render(request, f"{TEMPLATE}#passage", context)
    response.write(flash(request, message, oob=True))
    return response


def written(
    request: HttpRequest, project: Project, role: str, passage, message: str, error: Exception | None = None
) -> HttpResponse:
    """Answer a write: the fragment for htmx, or a redirect back to the passage for a plain form."""
    if is_htmx(request):
        if error is not None:
            return error_response(request, error)
        return passage_response(request, project, role, passage.pk, message)
    if error is not None:
        messages.error(request, messages_of(error))
    else:
        messages.success(request, message)
    return redirect(passage_url(project, passage.source_id, passage.ordinal))


def _invalid(form) -> ValidationError:
    return ValidationError([f"{e}" for errors in form.errors.values() for e in errors])


@login_required
@require_POST
def annotation_new(request: HttpRequest, slug: str, passage_id: int) -> HttpResponse:
    project, role = project_for_user(request.user, slug)
    if not can_annotate(role):
        raise PermissionDenied("Observers read; they do not tag.")
    passage = passage_in_project(project, passage_id)
    form = TagForm(request.POST, themes=project_themes(project))
    if not form.is_valid():
        return written(request, project, role, passage, "", _invalid(form))
    data = form.cleaned_data
    try:
        annotation = annotation_create(
            passage=passage,
            theme=data["theme"],
            author=request.user,
            start=data["start"],
            end=data["end"],
            quote=data["quote"],
            note=data["note"],
        )
    except WRITE_ERRORS as error:
        return written(request, project, role, passage, "", error)
    what = f"“{annotation.quote}”" if annotation.is_span else f"passage {passage.ordinal}"
    return written(request, project, role, passage, f"Tagged {what} as {annotation.theme.name}.")


@login_required
@require_http_methods(["GET", "POST"])
def annotation_edit(request: HttpRequest, slug: str, annotation_id: int) -> HttpResponse:
    """GET the note editor (the tag in editing mode for htmx, a page otherwise); POST the note."""
    project, role = project_for_user(request.user, slug)
    annotation = annotation_in_project(request.user, project, annotation_id)
    if not can_change_own_or_others(role, request.user, annotation.author_id):
        raise PermissionDenied("You may change only your own tags.")
    passage = annotation.passage
    if request.method == "GET":
        if "cancel" in request.GET and not is_htmx(request):
            return redirect(passage_url(project, passage.source_id, passage.ordinal))
        item = reader_passage(request.user, project, passage.pk)
        prepare([item], project, role, request.user)
        tag = next(a for a in (*item.whole_tags, *item.span_tags) if a.pk == annotation.pk)
        context = {"project": project, "tag": tag, "editing": "cancel" not in request.GET, "item": item}
        if is_htmx(request):
            return render(request, f"{TEMPLATE}#tag", context)
        context["reader_url"] = passage_url(project, passage.source_id, passage.ordinal)
        return render(request, "sources/reader/note.html", context)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return written(request, project, role, passage, "", _invalid(form))
    try:
        annotation_update(
            annotation=annotation,
            expected_version=form.cleaned_data["version"],
            editor=request.user,
            note=form.cleaned_data["note"],
        )
    except WRITE_ERRORS as error:
        return written(request, project, role, passage, "", error)
    return written(request, project, role, passage, f"Saved the note on {annotation.theme.name}.")


@login_required
@require_POST
def annotation_remove(request: HttpRequest, slug: str, annotation_id: int) -> HttpResponse:
    project, role = project_for_user(request.user, slug)
    annotation = annotation_in_project(request.user, project, annotation_id)
    if not can_change_own_or_others(role, request.user, annotation.author_id):
        raise PermissionDenied("You may delete only your own tags.")
    try:
        annotation_delete(annotation=annotation, editor=request.user)
    except WRITE_ERRORS as error:
        return written(request, project, role, annotation.passage, "", error)
    return written(request, project, role, annotation.passage, f"Deleted the {annotation.theme.name} tag.")
