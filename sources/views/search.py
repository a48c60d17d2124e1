"""Passage search: words, theme and annotator filters; htmx swaps the results as the user types."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..selectors.projects import memberships_of, project_for_user
from ..selectors.reader import themes_of
from ..selectors.search import SearchQuery, highlighted, passages_search
from .htmx import is_htmx
from .themes import theme_version

TEMPLATE = "sources/search/search.html"
LIMIT = 50


@login_required
@require_GET
def search(request: HttpRequest, slug: str) -> HttpResponse:
    project, role = project_for_user(request.user, slug)
    annotator = request.GET.get("annotator", "").strip()
    query = SearchQuery(
        text=request.GET.get("q", "").strip()[:500],
        theme=request.GET.get("theme", "").strip(),
        annotator=int(annotator) if annotator.isdigit() else None,
    )
    results, more = [], False
    if not query.is_empty:
        found = list(passages_search(request.user, project, query)[: LIMIT + 1])
        more = len(found) > LIMIT
        for passage in found[:LIMIT]:
            passage.pieces = highlighted(passage.text, query.words)
            results.append(passage)
    context = {
        "project": project,
        "role": role,
        "query": query,
        "results": results,
        "more": more,
        "limit": LIMIT,
    }
    if is_htmx(request):
        return render(request, f"{TEMPLATE}#results", context)
    themes = themes_of(project)
    context |= {
        "themes": themes,
        "theme_version": theme_version(themes),
        "members": memberships_of(project, request.user),
    }
    return render(request, TEMPLATE, context)
