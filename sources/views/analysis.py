"""The analysis page (`/p/{slug}/analysis/`, docs/analysis.md), for every member: the figures of
analysis_figures with their tables, the passages behind a chosen cell, and each chart's download as
SVG or CSV (the page turns the SVG into a PNG in the browser, static/js/analysis.js). The filters
live in the query string, so a view can be shared by its URL."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from ..formats.spreadsheet import raw_requested, spreadsheet_safe_row
from ..models import Membership, Source
from ..selectors.analysis.comparison import GROUPINGS, groups_of
from ..selectors.analysis.counts import cell_passages
from ..selectors.analysis.filters import STATUSES, Filters, InvalidFilter, Scope, analysis_scope, read_filters
from ..selectors.projects import project_for_user
from ..selectors.reader import themes_of
from ..selectors.session_pages import project_sessions
from .analysis_figures import CHARTS, FIGURES, Figure
from .themes import theme_version

PAGE = "sources/analysis/analysis.html"


def _cell(scope: Scope, request: HttpRequest):
    """The passages behind the cell named by `?cell=slug[,slug]&cell_source=id`, if one is."""
    cell = (request.GET.get("cell") or "").strip()
    if not cell:
        return None
    source = (request.GET.get("cell_source") or "").strip()
    if source and not source.isdigit():
        raise InvalidFilter({"cell_source": f"'{source[:40]}' is not a source id."})
    return cell_passages(scope, cell.split(",")[:2], int(source) if source else None)


@login_required
@require_GET
def analysis(request: HttpRequest, slug: str) -> HttpResponse:
    project, role = project_for_user(request.user, slug)
    context: dict = {
        "project": project,
        "role": role,
        "statuses": STATUSES,
        "groupings": GROUPINGS,
        "sessions": project_sessions(request.user, project, role),
        "members": Membership.objects.filter(project=project)
        .select_related("user")
        .order_by("user__username"),
        "sources": Source.objects.filter(project=project).order_by("title").only("pk", "title"),
        "filters": Filters(),
        "query": request.GET,
    }
    try:
        filters = read_filters(request.GET)
        context["filters"] = filters
        scope = analysis_scope(request.user, project, filters)
        figures = [FIGURES[name](scope, request.GET) for name in CHARTS]
        context.update(
            scope=scope,
            figures=figures,
            cell=_cell(scope, request),
            download_query=request.GET.urlencode(),
            compare_groups={by: groups_of(scope, by) for by in GROUPINGS},
            compared=next(f for f in figures if f.name == "compare").result,
        )
    except InvalidFilter as invalid:
        context["errors"] = invalid.errors
        context["codebook"] = themes_of(project)
        return render(request, PAGE, context, status=400)
    context["codebook"] = themes_of(project)
    context["theme_version"] = theme_version(context["codebook"])
    return render(request, PAGE, context)


def _csv(figure: Figure, raw: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(figure.header)
    for row in figure.rows:
        writer.writerow(spreadsheet_safe_row(["" if cell is None else cell for cell in row], raw=raw))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@login_required
@require_GET
def analysis_download(request: HttpRequest, slug: str, chart: str, fmt: str) -> HttpResponse:
    """One chart as `<chart>.svg` or `<chart>.csv`, with the page's filters."""
    if chart not in FIGURES or fmt not in ("svg", "csv"):
        raise Http404("No such chart.")
    project, _ = project_for_user(request.user, slug)
    try:
        scope = analysis_scope(request.user, project, read_filters(request.GET))
        figure = FIGURES[chart](scope, request.GET)
    except InvalidFilter as invalid:
        message = "; ".join(f"{name}: {text}" for name, text in invalid.errors.items())
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    name = f"{project.slug}-{chart}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(_csv(figure, raw_requested(request.GET.get("raw"))), content_type="text/csv")
    elif figure.chart is None:
        return HttpResponse(figure.empty, status=404, content_type="text/plain; charset=utf-8")
    else:
        svg = render_to_string(figure.template, {"chart": figure.chart, "standalone": True, "figure": figure})
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
