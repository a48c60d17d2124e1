"""Compare and adjudicate: annotators' tags side by side per passage, agreements and disagreements
marked, and the lead's decisions — accept a tag into the reviewed layer (approve it), reject it with
a comment, or edit it — each re-rendering its passage's row in place."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..models import Annotation, Decision, Project, Session
from ..selectors.compare import SHOW, Comparison, compare_source, compare_source_of, compare_sources
from ..selectors.reader import annotation_in_project, project_themes, themes_of
from ..selectors.session_pages import project_sessions, session_in_project
from ..services.annotations import annotation_update
from ..services.errors import ConflictError, StaleVersionError
from ..services.reviews import review_create
from .forms import AdjudicationForm
from .htmx import error_response, flash, is_htmx, messages_of, status_of
from .review import review_project
from .themes import theme_version

PAGE = "sources/compare/compare.html"
EDITOR = "sources/compare/edit.html"
WRITE_ERRORS = (ValidationError, ConflictError, StaleVersionError)


def _number(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise Http404("Not a number.")
    return int(value)


def _scope(request: HttpRequest, project: Project, role: str) -> tuple[Session | None, str]:
    session_id = _number(request.GET.get("session"))
    session = session_in_project(request.user, project, session_id, role) if session_id else None
    show = request.GET.get("show", "")
    return session, show if show in SHOW else "tagged"


def _scope_query(session: Session | None, show: str) -> str:
    query = {"session": session.pk if session else "", "show": show if show != "tagged" else ""}
    return urlencode({k: v for k, v in query.items() if v})


def _prepare(comparison: Comparison, project: Project, scope: str) -> None:
    """Each tag's action URLs, built once here rather than reversed in the template's loops."""
    base = reverse("compare", args=[project.slug])
    suffix = f"?{scope}" if scope else ""
    for row in comparison.rows:
        for cell in row.cells:
            for tag in cell:
                tag.decide_url = f"{base}annotations/{tag.pk}/decide/{suffix}"
                tag.edit_url = f"{base}annotations/{tag.pk}/edit/{suffix}"


@login_required
@require_GET
def compare_page(request: HttpRequest, slug: str) -> HttpResponse:
    """`?session=&source=&show=` (and `&passage=` for one passage); for htmx, the page's #compare part."""
    project, role = review_project(request, slug)
    session, show = _scope(request, project, role)
    source = compare_source_of(project, session, _number(request.GET.get("source")))
    passage_id = _number(request.GET.get("passage"))
    comparison = None
    if source is not None:
        comparison = compare_source(request.user, source, session, passage_id=passage_id, show=show)
        _prepare(comparison, project, _scope_query(session, show))
    themes = themes_of(project)
    context = {
        "project": project,
        "role": role,
        "session": session,
        "source": source,
        "show": show,
        "shows": SHOW,
        "passage_id": passage_id,
        "comparison": comparison,
        "sessions": project_sessions(request.user, project, role),
        "sources": compare_sources(project, session),
        "themes": themes,
        "theme_version": theme_version(themes),
    }
    return render(request, f"{PAGE}#compare" if is_htmx(request) else PAGE, context)


def _compared_annotation(request: HttpRequest, project: Project, role: str, annotation_id: int):
    session, show = _scope(request, project, role)
    annotation = annotation_in_project(request.user, project, annotation_id)
    if (annotation.session_id or None) != (session.pk if session else None):
        raise Http404("This tag is not part of the comparison.")
    return annotation, session, show


def _row_response(
    request: HttpRequest, project: Project, annotation: Annotation, session, show: str, message: str
) -> HttpResponse:
    passage = annotation.passage
    comparison = compare_source(request.user, passage.source, session, passage_id=passage.pk)
    _prepare(comparison, project, _scope_query(session, show))
    context = {"project": project, "comparison": comparison, "row": comparison.rows[0], "session": session}
    response = render(request, f"{PAGE}#row", context)
    response.write(flash(request, message, oob=True))
    return response


def _back(project: Project, annotation: Annotation, session, show: str) -> HttpResponse:
    query = {"source": annotation.passage.source_id}
    if session is not None:
        query["session"] = session.pk
    if show != "tagged":
        query["show"] = show
    url = reverse("compare", args=[project.slug])
    return redirect(f"{url}?{urlencode(query)}#compare-passage-{annotation.passage_id}")


@login_required
@require_POST
def compare_decide(request: HttpRequest, slug: str, annotation_id: int) -> HttpResponse:
    """Accept a tag into the reviewed layer (approve it) or reject it with a comment; the other
    annotators' tags stay as they are."""
    project, role = review_project(request, slug)
    annotation, session, show = _compared_annotation(request, project, role, annotation_id)
    decision = request.POST.get("decision", "")
    comment = request.POST.get("comment", "").strip()
    try:
        if decision not in (Decision.APPROVE, Decision.REJECT):
            raise ValidationError({"decision": "Accept or reject."})
        review_create(reviewer=request.user, decision=decision, comment=comment, annotation=annotation)
    except ValidationError as error:
        return _refused(request, project, annotation, session, show, error)
    who = annotation.author.get_username()
    done = "Accepted" if decision == Decision.APPROVE else "Rejected"
    message = f"{done} {who}'s {annotation.theme.name} tag on passage {annotation.passage.ordinal}."
    if is_htmx(request):
        return _row_response(request, project, annotation, session, show, message)
    messages.success(request, message)
    return _back(project, annotation, session, show)


def _refused(request: HttpRequest, project: Project, annotation, session, show: str, error) -> HttpResponse:
    if is_htmx(request):
        return error_response(request, error)
    messages.error(request, messages_of(error))
    return _back(project, annotation, session, show)


@login_required
@require_http_methods(["GET", "POST"])
def compare_edit(request: HttpRequest, slug: str, annotation_id: int) -> HttpResponse:
    """GET the editor (in place of the tag for htmx, a page otherwise); POST the changed theme, span
    and note (`annotation_update` as an adjudicating lead), accepting the tag too when asked."""
    project, role = review_project(request, slug)
    annotation, session, show = _compared_annotation(request, project, role, annotation_id)
    themes = project_themes(project)
    if request.method == "GET":
        initial = {
            "theme": annotation.theme_id,
            "start": annotation.start,
            "end": annotation.end,
            "note": annotation.note,
            "version": annotation.version,
        }
        form = AdjudicationForm(initial=initial, themes=themes)
        return _editor(request, project, role, annotation, form, session, show)
    form = AdjudicationForm(request.POST, themes=themes)
    if not form.is_valid():
        return _editor(request, project, role, annotation, form, session, show, status=422)
    data = form.cleaned_data
    try:
        with transaction.atomic():  # the edit and its acceptance, or neither
            annotation = annotation_update(
                annotation=annotation,
                expected_version=data["version"],
                editor=request.user,
                theme=data["theme"],
                start=data["start"],
                end=data["end"],
                note=data["note"],
            )
            if data["accept"]:
                review_create(
                    reviewer=request.user,
                    decision=Decision.APPROVE,
                    comment="Accepted as edited.",
                    annotation=annotation,
                )
    except WRITE_ERRORS as error:
        form.add_error(None, messages_of(error))
        return _editor(
            request,
            project,
            role,
            annotation,
            form,
            session,
            show,
            status=status_of(error),
        )
    message = f"Saved {annotation.author.get_username()}'s tag{' and accepted it' if data['accept'] else ''}."
    if is_htmx(request):
        return _row_response(request, project, annotation, session, show, message)
    messages.success(request, message)
    return _back(project, annotation, session, show)


def _editor(
    request: HttpRequest,
    project: Project,
    role: str,
    annotation: Annotation,
    form: AdjudicationForm,
    session: Session | None,
    show: str,
    status: int = 200,
) -> HttpResponse:
    scope = _scope_query(session, show)
    base = reverse("compare", args=[project.slug])
    where = f"{base}?{scope}{'&' if scope else ''}source={annotation.passage.source_id}"
    context = {
        "project": project,
        "annotation": annotation,
        "passage": annotation.passage,
        "form": form,
        "action": f"{base}annotations/{annotation.pk}/edit/" + (f"?{scope}" if scope else ""),
        "back": f"{where}#compare-passage-{annotation.passage_id}",
        "row_url": f"{where}&passage={annotation.passage_id}",
    }
    if is_htmx(request):
        return render(request, f"{EDITOR}#editor", context, status=status)
    themes = themes_of(project)
    context |= {"role": role, "themes": themes, "theme_version": theme_version(themes)}
    return render(request, EDITOR, context, status=status)
