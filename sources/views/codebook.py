"""The codebook editor: themes in their tree with rules, anchors and tag counts; adding, editing,
reordering, merging and deleting themes (owners and instructors; everyone else reads); the codebook
in and out as qdc or JSON."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import permissions as roles
from ..formats.records import FormatError
from ..models import Project, Theme
from ..selectors.codebook import codebook_of, with_anchors
from ..selectors.projects import project_for_user
from ..selectors.reader import project_themes
from ..selectors.sources import passages_for_user, passages_matching
from ..services.codebook import theme_create, theme_delete, theme_move, theme_update
from ..services.codebook_transfer import codebook_export, codebook_import
from ..services.errors import ConflictError
from ..services.theme_anchors import anchor_add, anchor_remove
from ..services.theme_merge import theme_merge
from .codebook_forms import CodebookImportForm, MergeForm, ThemeForm
from .htmx import is_htmx, messages_of
from .themes import theme_version

PAGE = "sources/codebook/codebook.html"
EDIT = "sources/codebook/theme.html"
SEARCH_RESULTS = 12


def _project(request: HttpRequest, slug: str, manage: bool = False) -> tuple[Project, str]:
    project, role = project_for_user(request.user, slug)
    if manage and not roles.can_manage(role):
        raise PermissionDenied("Only the project's owners and instructors change its codebook.")
    return project, role


def _theme(themes: list[Theme], theme_id: int) -> Theme:
    found = next((t for t in themes if t.pk == theme_id), None)
    if found is None:
        raise Http404("No such theme.")
    return found


def _managed_theme(request: HttpRequest, slug: str, theme_id: int) -> tuple[Project, str, list[Theme], Theme]:
    """The project, the caller's role (owner or instructor, else 403), the codebook and one theme of it."""
    project, role = _project(request, slug, manage=True)
    themes = codebook_of(project)
    return project, role, themes, _theme(themes, theme_id)


def _page(
    request: HttpRequest,
    project: Project,
    role: str,
    themes: list[Theme],
    form: ThemeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_manage = roles.can_manage(role)
    context = {
        "project": project,
        "role": role,
        "themes": themes,
        "theme_version": theme_version(themes),
        "can_manage": can_manage,
        "form": form or (ThemeForm(themes=themes) if can_manage else None),
        "merge_form": MergeForm(themes=themes) if can_manage else None,
        "import_form": CodebookImportForm() if can_manage else None,
    }
    return render(request, PAGE, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def codebook(request: HttpRequest, slug: str) -> HttpResponse:
    """The codebook; a POST adds a theme."""
    project, role = _project(request, slug, manage=request.method == "POST")
    themes = codebook_of(project, request.user)
    if request.method == "GET":
        return _page(request, project, role, themes)
    form = ThemeForm(request.POST, themes=themes)
    if _saved(request, form, lambda data: theme_create(project=project, **data), "added"):
        return redirect("codebook", slug=project.slug)
    return _page(request, project, role, themes, form, status=422)


def _saved(request: HttpRequest, form: ThemeForm, save: Callable[[dict], Theme], done: str) -> bool:
    """Save a valid form through the service; its refusals land on the form's fields."""
    if not form.is_valid():
        return False
    try:
        theme = save(form.cleaned_data)
    except ValidationError as error:
        form.add_service_error(error)
    except ConflictError as error:
        form.add_error("name", error.message)
    else:
        messages.success(request, f"Theme '{theme.name}' {done}.")
        return True
    return False


def _edit_page(
    request: HttpRequest,
    project: Project,
    role: str,
    themes: list[Theme],
    theme: Theme,
    form: ThemeForm,
    status: int = 200,
) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = []
    if query:
        scope = passages_for_user(request.user).filter(source__project=project)
        results = list(
            passages_matching(scope, query).select_related("source").defer("source__text")[:SEARCH_RESULTS]
        )
    context = {
        "project": project,
        "role": role,
        "theme": theme,
        "themes": themes,
        "theme_version": theme_version(themes),
        "form": form,
        "query": query,
        "results": results,
    }
    if is_htmx(request) and request.method == "GET":
        return render(request, f"{EDIT}#anchor-results", context)
    return render(request, EDIT, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    """One theme's form, its anchors, and a search over the corpus to pick new anchors from."""
    project, role, themes, theme = _managed_theme(request, slug, theme_id)
    if request.method == "GET":
        initial = {
            name: getattr(theme, name)
            for name in ("name", "color", "shortcut", "description", "include", "exclude")
        }
        form = ThemeForm(initial={**initial, "parent": theme.parent_id}, themes=themes, editing=theme)
        return _edit_page(request, project, role, themes, theme, form)
    form = ThemeForm(request.POST, themes=themes, editing=theme)
    if _saved(request, form, lambda data: theme_update(theme=theme, **data), "saved"):
        return redirect("codebook", slug=project.slug)
    return _edit_page(request, project, role, themes, theme, form, status=422)


@login_required
@require_GET
def theme_rules(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    """One theme's rules and anchors, as the reader's dialog shows them (any member)."""
    project, role = _project(request, slug)
    theme = _theme(with_anchors(list(project_themes(project).filter(pk=theme_id))), theme_id)
    context = {"project": project, "theme": theme, "can_manage": roles.can_manage(role)}
    return render(request, "sources/codebook/rules.html", context)


@login_required
@require_POST
def theme_reorder(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    project, _, _, theme = _managed_theme(request, slug, theme_id)
    theme_move(theme=theme, step=-1 if request.POST.get("direction") == "up" else 1)
    return redirect(reverse("codebook", args=[project.slug]) + f"#theme-{theme.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def theme_remove(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    """A theme with tags is deleted only after a page that says how many go with it."""
    project, role, themes, theme = _managed_theme(request, slug, theme_id)
    if request.method == "GET":
        context = {
            "project": project,
            "role": role,
            "theme": theme,
            "themes": themes,
            "theme_version": theme_version(themes),
        }
        return render(request, "sources/codebook/delete.html", context)
    try:
        deleted = theme_delete(theme=theme, with_tags=request.POST.get("with_tags") == "yes")
    except ConflictError as error:
        messages.error(request, error.message)
        return redirect("theme-delete", slug=project.slug, theme_id=theme.pk)
    tags = (
        f" with its {deleted} tag{'s' if deleted != 1 else ''} (restorable from their history)"
        if deleted
        else ""
    )
    messages.success(request, f"Theme '{theme.name}' deleted{tags}.")
    return redirect("codebook", slug=project.slug)


@login_required
@require_POST
def theme_anchor_new(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    project, _, _, theme = _managed_theme(request, slug, theme_id)
    passage = (
        passages_for_user(request.user)
        .filter(source__project=project, pk=request.POST.get("passage") or 0)
        .first()
    )
    if passage is None:
        messages.error(request, "Choose a passage of this project from the search results.")
    else:
        try:
            anchor_add(theme=theme, passage=passage, quote=request.POST.get("quote", "").strip() or None)
        except ValidationError as error:
            messages.error(request, messages_of(error))
        else:
            messages.success(request, f"Anchor example added to '{theme.name}'.")
    return redirect("theme-edit", slug=project.slug, theme_id=theme.pk)


@login_required
@require_POST
def theme_anchor_remove(request: HttpRequest, slug: str, theme_id: int, anchor_id: int) -> HttpResponse:
    project, _, _, theme = _managed_theme(request, slug, theme_id)
    anchor = next((a for a in theme.anchor_list if a.pk == anchor_id), None)
    if anchor is None:
        raise Http404("No such anchor.")
    anchor_remove(anchor=anchor)
    messages.success(request, "Anchor example removed.")
    return redirect("theme-edit", slug=project.slug, theme_id=theme.pk)


@login_required
@require_POST
def codebook_merge(request: HttpRequest, slug: str) -> HttpResponse:
    project, _ = _project(request, slug, manage=True)
    form = MergeForm(request.POST, themes=codebook_of(project))
    if not form.is_valid():
        messages.error(request, "Choose the theme to merge and the theme to merge it into.")
        return redirect("codebook", slug=project.slug)
    theme, into = form.cleaned_data["theme"], form.cleaned_data["into"]
    try:
        report = theme_merge(theme=theme, into=into, user=request.user)
    except ValidationError as error:
        messages.error(request, messages_of(error))
    else:
        messages.success(request, report.summary(theme.name))
    return redirect("codebook", slug=project.slug)


@login_required
@require_GET
def codebook_download(request: HttpRequest, slug: str) -> HttpResponse:
    project, _ = _project(request, slug)
    try:
        filename, content_type, chunks = codebook_export(
            project=project, format=request.GET.get("format", "")
        )
    except ValidationError as error:
        messages.error(request, messages_of(error))
        return redirect("codebook", slug=project.slug)
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def codebook_upload(request: HttpRequest, slug: str) -> HttpResponse:
    project, _ = _project(request, slug, manage=True)
    form = CodebookImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a codebook file and its format.")
        return redirect("codebook", slug=project.slug)
    try:
        report = codebook_import(
            project=project, data=form.cleaned_data["file"].read(), format=form.cleaned_data["format"]
        )
    except (FormatError, ValidationError) as error:
        messages.error(request, f"Nothing was imported: {messages_of(error)}")
    else:
        messages.success(request, f"Codebook imported: {report.summary()}")
    return redirect("codebook", slug=project.slug)
