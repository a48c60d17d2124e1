"""The reader and annotator: a source passage by passage, tagging without page reloads.

Every write answers an htmx request with the re-rendered passage (and a status line out of band),
and a plain form post with a redirect back to the passage, so the page also works without script.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..models import AnnotationStatus, Comment, Project, Session, Source
from ..permissions import can_annotate, can_change_own_or_others, can_edit_others
from ..selectors.comments import passage_threads
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
from ..selectors.reader_chunks import (
    FILTERS,
    Chunk,
    ReaderFilter,
    chunks_of,
    matching_passages,
    passage_total,
    section_headings,
)
from ..selectors.session_pages import session_in_project
from ..services.annotations import annotation_create, annotation_delete, annotation_update
from ..services.errors import ConflictError, StaleVersionError
from .forms import NoteForm, TagForm
from .htmx import error_response, flash, is_htmx, messages_of
from .themes import theme_version

TEMPLATE = "sources/reader/source.html"
WRITE_ERRORS = (ValidationError, ConflictError, StaleVersionError)


def prepare(
    passages: list[ReaderPassage], project: Project, role: str | None, user, session: Session | None = None
) -> None:
    """Set what the templates ask of each passage, tag and comment: its URLs, built here once rather than
    reversed thousands of times in template loops, and whether the caller may change each tag
    (leads anyone's, annotators only their own, and not once its session closed or they submitted).

    In a session (`session`), every write URL names it, so the answer re-renders the session's view."""
    base = reverse("dashboard", args=[project.slug])
    scope = f"?session={session.pk}" if session is not None else ""
    now = timezone.now()
    threads = passage_threads(user, [item.passage.pk for item in passages])
    for item in passages:
        item.tag_url = f"{base}passages/{item.passage.pk}/annotations/{scope}"
        item.link_url = f"{base}passages/{item.passage.pk}/link/{scope}"
        for suggestion in item.suggestions:
            suggestion.accept_url = f"{base}suggestions/{suggestion.pk}/accept/"
            suggestion.reject_url = f"{base}suggestions/{suggestion.pk}/reject/"
        item.comment_url = f"{base}passages/{item.passage.pk}/comments/{scope}"
        item.can_comment = can_annotate(role)
        item.comments = threads.get(item.passage.pk, [])
        for comment in item.comments:
            prepare_comment(comment, base, scope, role, user)
            comment.may_resolve = (
                comment.parent_id is None
                and item.can_comment
                and (comment.author_id == user.pk or can_edit_others(role))
            )
        for annotation in (*item.whole_tags, *item.span_tags):
            annotation.editable = can_change_own_or_others(role, user, annotation.author_id) and (
                can_edit_others(role) or not _locked(annotation, now)
            )
            annotation.edit_url = f"{base}annotations/{annotation.pk}/{scope}"
            annotation.delete_url = f"{base}annotations/{annotation.pk}/delete/{scope}"
            # Leads restore from history, so the tag list links them to it.
            annotation.history_url = (
                f"{base}history/?model=annotation&id={annotation.pk}" if can_edit_others(role) else ""
            )


def prepare_comment(comment: Comment, base: str, scope: str, role: str | None, user) -> None:
    """A comment's URLs, and whether the caller may edit it (its author) or delete it (its author, or
    a lead moderating); a deleted one is neither."""
    comment.toggle_url = f"{base}comments/{comment.pk}/resolve/{scope}"
    comment.edit_url = f"{base}comments/{comment.pk}/edit/{scope}"
    comment.delete_url = f"{base}comments/{comment.pk}/delete/{scope}"
    comment.history_url = f"{base}history/?model=comment&id={comment.pk}"
    mine = comment.author_id == user.pk
    comment.may_edit = mine and comment.deleted is None
    comment.may_delete = (mine or can_edit_others(role)) and comment.deleted is None


def _locked(annotation, now) -> bool:
    """A session annotation its author can no longer change: the session closed, or they submitted."""
    session = annotation.session
    return session is not None and (now >= session.closes_at or annotation.status != AnnotationStatus.DRAFT)


def page_urls(project: Project) -> dict[str, str]:
    return {"claims": reverse("claims", args=[project.slug]), "undo": undo_url(project)}


def undo_url(project: Project) -> str:
    return reverse("undo", args=[project.slug])


def passage_url(project: Project, source_id: int, ordinal: int, session: Session | None = None) -> str:
    scope = f"?session={session.pk}" if session is not None else ""
    return f"{reader_url(project, source_id)}{scope}#passage-{ordinal}"


def reading_session(
    request: HttpRequest, project: Project, role: str, source: Source | None = None
) -> Session | None:
    """The session named by `?session=` (404 when it is not the project's, or `source` is not in it)."""
    value = request.GET.get("session", "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404("No such session in this project.")
    return session_in_project(request.user, project, int(value), role, source=source)


def may_tag(role: str | None, session: Session | None) -> bool:
    return can_annotate(role) and (session is None or session.can_tag)


def reader_url(project: Project, source_id: int) -> str:
    return reverse("reader", args=[project.slug, source_id])


def _between(request: HttpRequest) -> tuple[int, int] | None:
    """The chunk a placeholder asks for (`?from=&to=`, ordinals); None for the whole page."""
    first, last = request.GET.get("from", ""), request.GET.get("to", "")
    if first.isdigit() and last.isdigit() and int(first) <= int(last):
        return int(first), int(last)
    return None


def chunk_url(base: str, chosen: ReaderFilter, session: Session | None, chunk: Chunk) -> str:
    query = [f"session={session.pk}"] if session is not None else []
    query += [chosen.query] if chosen.query else []
    return f"{base}?{'&'.join([*query, f'from={chunk.first}', f'to={chunk.last}'])}"


@login_required
@require_GET
def reader(request: HttpRequest, slug: str, source_id: int) -> HttpResponse:
    """The reader's first screen: its first chunk of passages, and a placeholder for each later one
    that the browser loads as it comes into view; with `?from=&to=`, that chunk alone."""
    project, role = project_for_user(request.user, slug)
    source = source_for_reader(project, source_id)
    session = reading_session(request, project, role, source)
    themes = themes_of(project)
    chosen = ReaderFilter.parse(
        request.GET.get("filter", ""), request.GET.get("theme", ""), {theme.pk for theme in themes}
    )
    base = reader_url(project, source.pk)
    between = _between(request)
    context = {
        "project": project,
        "role": role,
        "source": source,
        "in_session": session,
        "themes": themes,
        "can_annotate": may_tag(role, session),
        "urls": page_urls(project),
    }
    if between is not None and is_htmx(request):
        passages = reader_passages(
            request.user, matching_passages(request.user, source, session, chosen, between), session
        )
        prepare(passages, project, role, request.user, session)
        return render(request, f"{TEMPLATE}#chunk", {**context, "passages": passages})
    shown = matching_passages(request.user, source, session, chosen)
    chunks = chunks_of(list(shown.values_list("ordinal", flat=True)))
    # The chunk rendered now: the first, or (a plain link to a later one, without script) that one.
    at = next((n for n, chunk in enumerate(chunks) if between and chunk.first == between[0]), 0)
    shown_count = sum(chunk.count for chunk in chunks)
    passages = []
    if chunks:
        rendered = matching_passages(
            request.user, source, session, chosen, (chunks[at].first, chunks[at].last)
        )
        passages = reader_passages(request.user, rendered, session)
    prepare(passages, project, role, request.user, session)
    context.update(
        passages=passages,
        shown_count=shown_count,
        passage_count=passage_total(source) if chosen.kind else shown_count,
        pending_before=[(chunk, chunk_url(base, chosen, session, chunk)) for chunk in chunks[:at]],
        pending_after=[(chunk, chunk_url(base, chosen, session, chunk)) for chunk in chunks[at + 1 :]],
        sections=section_headings(source),
        chosen=chosen,
        filters=FILTERS,
        theme_version=theme_version(themes),
    )
    return render(request, TEMPLATE, context)


def passage_response(
    request: HttpRequest,
    project: Project,
    role: str,
    passage_id: int,
    message: str,
    session: Session | None = None,
) -> HttpResponse:
    """The re-rendered passage, and the status line swapped out of band."""
    item = reader_passage(request.user, project, passage_id, session)
    prepare([item], project, role, request.user, session)
    context = {
        "project": project,
        "item": item,
        "in_session": session,
        "themes": themes_of(project),
        "can_annotate": may_tag(role, session),
        "urls": page_urls(project),
    }
    response = render(request, f"{TEMPLATE}#passage", context)
    response.write(flash(request, message, oob=True, undo_url=undo_url(project)))
    return response


def written(
    request: HttpRequest,
    project: Project,
    role: str,
    passage,
    message: str,
    error: Exception | None = None,
    session: Session | None = None,
) -> HttpResponse:
    """Answer a write: the fragment for htmx, or a redirect back to the passage for a plain form."""
    if is_htmx(request):
        if error is not None:
            return error_response(request, error)
        return passage_response(request, project, role, passage.pk, message, session)
    if error is not None:
        messages.error(request, messages_of(error))
    else:
        messages.success(request, message)
    return redirect(passage_url(project, passage.source_id, passage.ordinal, session))


def _invalid(form) -> ValidationError:
    return ValidationError([f"{e}" for errors in form.errors.values() for e in errors])


@login_required
@require_POST
def annotation_new(request: HttpRequest, slug: str, passage_id: int) -> HttpResponse:
    project, role = project_for_user(request.user, slug)
    if not can_annotate(role):
        raise PermissionDenied("Observers read; they do not tag.")
    passage = passage_in_project(project, passage_id)
    session = reading_session(request, project, role)
    form = TagForm(request.POST, themes=project_themes(project))
    if not form.is_valid():
        return written(request, project, role, passage, "", _invalid(form), session)
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
            session=session,
        )
    except WRITE_ERRORS as error:
        return written(request, project, role, passage, "", error, session)
    theme = annotation.theme.name
    if annotation.is_span:
        message = f"Tagged “{annotation.quote}” as {theme}."
    else:  # said plainly: a stray key with no selection costs one Undo, not a hunt for the tag
        message = f"No text selected: tagged the whole passage {passage.ordinal} as {theme}."
    return written(request, project, role, passage, message, None, session)


def _session_of(request: HttpRequest, project: Project, role: str, annotation) -> Session | None:
    """The session the page was opened in, which must be the annotation's own."""
    session = reading_session(request, project, role)
    if session is not None and annotation.session_id != session.pk:
        raise Http404("No such annotation in this session.")
    return session


@login_required
@require_http_methods(["GET", "POST"])
def annotation_edit(request: HttpRequest, slug: str, annotation_id: int) -> HttpResponse:
    """GET the note editor (the tag in editing mode for htmx, a page otherwise); POST the note."""
    project, role = project_for_user(request.user, slug)
    annotation = annotation_in_project(request.user, project, annotation_id)
    if not can_change_own_or_others(role, request.user, annotation.author_id):
        raise PermissionDenied("You may change only your own tags.")
    passage = annotation.passage
    session = _session_of(request, project, role, annotation)
    if request.method == "GET":
        if "cancel" in request.GET and not is_htmx(request):
            return redirect(passage_url(project, passage.source_id, passage.ordinal, session))
        item = reader_passage(request.user, project, passage.pk, session)
        prepare([item], project, role, request.user, session)
        tag = next(a for a in (*item.whole_tags, *item.span_tags) if a.pk == annotation.pk)
        context = {"project": project, "tag": tag, "editing": "cancel" not in request.GET, "item": item}
        if is_htmx(request):
            return render(request, f"{TEMPLATE}#tag", context)
        context["reader_url"] = passage_url(project, passage.source_id, passage.ordinal, session)
        return render(request, "sources/reader/note.html", context)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return written(request, project, role, passage, "", _invalid(form), session)
    try:
        annotation_update(
            annotation=annotation,
            expected_version=form.cleaned_data["version"],
            editor=request.user,
            note=form.cleaned_data["note"],
        )
    except WRITE_ERRORS as error:
        return written(request, project, role, passage, "", error, session)
    message = f"Saved the note on {annotation.theme.name}."
    return written(request, project, role, passage, message, None, session)


@login_required
@require_POST
def annotation_remove(request: HttpRequest, slug: str, annotation_id: int) -> HttpResponse:
    project, role = project_for_user(request.user, slug)
    annotation = annotation_in_project(request.user, project, annotation_id)
    if not can_change_own_or_others(role, request.user, annotation.author_id):
        raise PermissionDenied("You may delete only your own tags.")
    session = _session_of(request, project, role, annotation)
    try:
        annotation_delete(annotation=annotation, editor=request.user)
    except WRITE_ERRORS as error:
        return written(request, project, role, annotation.passage, "", error, session)
    message = f"Deleted the {annotation.theme.name} tag."
    return written(request, project, role, annotation.passage, message, None, session)
