"""Inter-annotator agreement of a session, per theme: a table and a bar chart drawn here as SVG
(no chart library, nothing from a CDN). The dashboard loads it as a panel for leads."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..selectors.agreement import session_agreement
from ..selectors.reader import themes_of
from ..selectors.session_pages import project_sessions
from .htmx import is_htmx
from .review import review_project
from .themes import theme_version

PAGE = "sources/compare/agreement.html"

# (statistic, symbol on the chart, name): alpha, kappa and Fleiss' kappa in Greek letters.
METRICS = [
    ("krippendorff_alpha", "\u03b1", "Krippendorff's alpha"),
    ("cohen_kappa", "\u03ba", "Cohen's kappa"),
    ("fleiss_kappa", "F\u03ba", "Fleiss' kappa"),
    ("percent_agreement", "%", "Percent agreement"),
]

# Chart geometry, in SVG user units.
WIDTH = 640
LABEL_WIDTH = 150
VALUE_WIDTH = 48
BAR = 9
GAP = 3
GROUP_GAP = 12
TOP = 22


@dataclass
class ChartBar:
    metric: str
    symbol: str
    name: str
    value: float | None
    x: float
    y: float
    width: float
    text: str
    text_x: float


@dataclass
class ChartGroup:
    label: str
    y: float  # the top of its first bar
    label_y: float  # the baseline of its label, level with the middle of the group
    bars: list[ChartBar] = field(default_factory=list)


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Chart:
    width: int
    height: float
    groups: list[ChartGroup]
    ticks: list[Tick]
    zero_x: float
    plot_top: float
    plot_bottom: float


def shown(metric: str, value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value * 100:.0f}%" if metric == "percent_agreement" else f"{value:.2f}"


def agreement_chart(rows: list[tuple[str, dict]]) -> Chart:
    """Grouped horizontal bars, one group per (label, statistics) row, one bar per metric, on a scale
    from the lowest value (0 at least, -1 at most) to 1; an undefined value draws no bar, only "n/a"."""
    values = [row[m] for _, row in rows for m, _, _ in METRICS if row[m] is not None]
    low = max(-1.0, math.floor(min([0.0, *values]) * 4) / 4)
    plot_left, plot_right = LABEL_WIDTH, WIDTH - VALUE_WIDTH

    def x_of(value: float) -> float:
        return round(plot_left + (value - low) / (1 - low) * (plot_right - plot_left), 2)

    height = len(METRICS) * (BAR + GAP) - GAP
    groups, y = [], TOP
    for label, stats in rows:
        group = ChartGroup(label=label, y=y, label_y=y + height / 2 + 4)
        for n, (metric, symbol, name) in enumerate(METRICS):
            value = stats[metric]
            start, end = (min(0, value), max(0, value)) if value is not None else (0, 0)
            bar_y = y + n * (BAR + GAP)
            group.bars.append(
                ChartBar(
                    metric=metric,
                    symbol=symbol,
                    name=name,
                    value=value,
                    x=x_of(start),
                    y=bar_y,
                    width=round(x_of(end) - x_of(start), 2),
                    text=shown(metric, value),
                    text_x=x_of(end) + 4 if value is not None else x_of(0) + 4,
                )
            )
        groups.append(group)
        y += height + GROUP_GAP
    ticks = [Tick(x_of(v / 4), f"{v / 4:g}") for v in range(int(low * 4), 5)]
    return Chart(
        width=WIDTH,
        height=y + 4,
        groups=groups,
        ticks=ticks,
        zero_x=x_of(0),
        plot_top=TOP - 4,
        plot_bottom=y - GROUP_GAP + 4,
    )


def _number(value: str) -> int | None:
    return int(value) if value.isdigit() else None


@login_required
@require_GET
def agreement(request: HttpRequest, slug: str) -> HttpResponse:
    """`?session=ID` (else the latest session anyone submitted in); for htmx, the panel alone."""
    project, role = review_project(request, slug)
    sessions = project_sessions(request.user, project, role)
    wanted = _number(request.GET.get("session", ""))
    chosen = next((s for s in sessions if s.pk == wanted), None)
    if chosen is None:
        chosen = next((s for s in sessions if s.submitted_count), sessions[0] if sessions else None)
    result = session_agreement(project=project, session=chosen) if chosen is not None else None
    themes = themes_of(project)
    names = {theme.slug: theme.name for theme in themes}
    rows = []
    chart = None
    if result is not None:
        rows = [(names.get(row["theme"], row["theme"]), row) for row in result["themes"]]
        chart = agreement_chart([*rows, ("All themes", result["overall"])])
    context = {
        "project": project,
        "role": role,
        "sessions": sessions,
        "chosen": chosen,
        "result": result,
        "rows": [(label, row, [shown(m, row[m]) for m, _, _ in METRICS]) for label, row in rows],
        "overall": [shown(m, result["overall"][m]) for m, _, _ in METRICS] if result else [],
        "metrics": METRICS,
        "chart": chart,
        "themes": themes,
        "theme_version": theme_version(themes),
    }
    return render(request, f"{PAGE}#panel" if is_htmx(request) else PAGE, context)
