"""The analysis page's figures: each computes its selector's result for a scope, and gives the chart
(analysis_charts), the table beside it and the CSV download — the same numbers in all three."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from ..selectors.analysis.claim_map import claim_map
from ..selectors.analysis.comparison import GROUPINGS, comparison, groups_of
from ..selectors.analysis.counts import BY, cooccurrence, theme_matrix
from ..selectors.analysis.filters import Scope
from ..selectors.analysis.timeline import timeline
from .analysis_charts import claim_chart, compare_chart, heatmap

CHARTS = ("matrix", "cooccurrence", "claims", "compare", "timeline")
TABLE_ROWS = (
    500  # rows a figure's table shows on the page (rendering thousands costs seconds); its CSV has all
)


@dataclass
class Figure:
    name: str
    title: str
    template: str  # the SVG partial drawing `chart`
    chart: object | None  # None: nothing to draw, `empty` says why
    header: list[str]  # the table's (and the CSV's) columns
    rows: list[list]
    empty: str = ""
    notes: list[str] | None = None
    result: dict | None = None

    @property
    def table_rows(self) -> list[list]:
        """The rows the page's table shows: the first TABLE_ROWS."""
        return self.rows[:TABLE_ROWS]

    @property
    def rows_left_out(self) -> int:
        return max(0, len(self.rows) - TABLE_ROWS)


def _link(scope: Scope, **extra: str | int) -> str:
    query = urlencode({**scope.filters.query(), **extra})
    return f"{reverse('analysis', args=[scope.project.slug])}?{query}#passages"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _shown(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def matrix_figure(scope: Scope, query: Mapping[str, str]) -> Figure:
    by = query.get("rows") if query.get("rows") in BY else "source"
    matrix = theme_matrix(scope, by)
    title = f"Passages per theme and {by}, status {scope.status}"
    rows = []
    for r, label in enumerate(matrix.row_labels):
        rows.append([label, matrix.passages[r], *matrix.counts[r]])
    figure = Figure(
        "matrix",
        title,
        "sources/analysis/heatmap.svg",
        None,
        [by, "passages", *matrix.themes],
        rows,
        result=matrix.as_dict(),
    )
    if not matrix.rows or not matrix.themes:
        figure.empty = "No sources or no themes to count yet."
        return figure
    shares = matrix.shares
    most = max((share or 0.0 for row in shares for share in row), default=0.0) or 1.0
    source_of = [row if by == "source" else row[0] for row in matrix.rows]
    figure.chart = heatmap(
        title=title,
        description="Each cell: passages with at least one tag of the theme or a sub-theme; "
        "the darker, the larger their share of the row's passages (the darkest: the largest share).",
        row_labels=matrix.row_labels,
        column_labels=matrix.theme_labels,
        intensity=[[(share or 0.0) / most for share in row] for row in shares],
        texts=[[str(n) for n in row] for row in matrix.counts],
        titles=[
            [
                f"{label}, {theme}: {_plural(n, 'passage')} of {matrix.passages[r]}"
                f" ({(shares[r][c] or 0) * 100:.0f}%)"
                for c, (theme, n) in enumerate(zip(matrix.theme_labels, matrix.counts[r], strict=True))
            ]
            for r, label in enumerate(matrix.row_labels)
        ],
        links=[
            [_link(scope, cell=slug, cell_source=source_of[r]) for slug in matrix.themes]
            for r in range(len(rows))
        ],
    )
    return figure


def cooccurrence_figure(scope: Scope, query: Mapping[str, str]) -> Figure:
    found = cooccurrence(scope)
    jaccard = found.jaccard
    title = f"Passages tagged with both themes, status {scope.status}"
    rows = [
        [found.theme_labels[i], found.theme_labels[j], found.counts[i][j], jaccard[i][j]]
        for i in range(len(found.themes))
        for j in range(i, len(found.themes))
    ]
    figure = Figure(
        "cooccurrence",
        title,
        "sources/analysis/heatmap.svg",
        None,
        ["theme", "with theme", "passages", "jaccard"],
        rows,
        result=found.as_dict(),
    )
    if not found.themes:
        figure.empty = "The codebook has no themes yet."
        return figure
    figure.chart = heatmap(
        title=title,
        description="Each cell: passages tagged with both themes (on the diagonal, with the theme); "
        "the darker, the higher their Jaccard index (both over either).",
        row_labels=found.theme_labels,
        column_labels=found.theme_labels,
        intensity=[[value or 0.0 for value in row] for row in jaccard],
        texts=[[str(n) for n in row] for row in found.counts],
        titles=[
            [
                f"{a} and {b}: {_plural(n, 'passage')}, Jaccard {_shown(jaccard[i][j])}"
                for j, (b, n) in enumerate(zip(found.theme_labels, found.counts[i], strict=True))
            ]
            for i, a in enumerate(found.theme_labels)
        ],
        links=[[_link(scope, cell=f"{a},{b}") for b in found.themes] for a in found.themes],
        label_width=170,
    )
    return figure


def claims_figure(scope: Scope, query: Mapping[str, str]) -> Figure:
    result = claim_map(scope).as_dict()
    title = f"Claims and the sources of their evidence, evidence status {scope.status}"
    text = {claim["id"]: claim["text"] for claim in result["claims"]}
    titles = {source["id"]: source["title"] for source in result["sources"]}
    rows = [
        [text[edge["claim"]], titles[edge["source"]], edge["relation"], edge["links"]]
        for edge in result["edges"]
    ]
    rows += [[claim["text"], "", "", 0] for claim in result["claims"] if not claim["links"]]
    figure = Figure(
        "claims",
        title,
        "sources/analysis/claims.svg",
        None,
        ["claim", "source", "relation", "links"],
        rows,
        result=result,
    )
    if not result["claims"]:
        figure.empty = "No claims yet."
    else:
        figure.chart = claim_chart(result, title=title)
    if result["truncated"]:
        figure.notes = ["Only the first 500 claims are shown."]
    return figure


def comparison_query(scope: Scope, query: Mapping[str, str]) -> dict[str, str] | None:
    """The groups asked for, or the first two groups of the grouping asked for (by default two
    languages when the sources have two or more, else two sources); None when there are not two."""
    by = query.get("by") or ""
    if query.get("a") and query.get("b"):
        return {"by": by or "source", "a": query["a"], "b": query["b"]}
    for grouping in [by] if by in GROUPINGS else ["language", "source"]:
        groups = groups_of(scope, grouping)
        if len(groups) >= 2:
            return {"by": grouping, "a": groups[0][0], "b": groups[1][0]}
    return None


def compare_figure(scope: Scope, query: Mapping[str, str]) -> Figure:
    asked = comparison_query(scope, query)
    header = ["theme", "passages a", "share a", "ci a low", "ci a high"]
    header += ["passages b", "share b", "ci b low", "ci b high", "p", "p adjusted"]
    if asked is None:
        return Figure(
            "compare", "Comparison", "", None, header, [], empty="A comparison needs two groups of sources."
        )
    result = comparison(scope, asked).as_dict()
    a, b = result["groups"]
    title = f"Share of passages per theme: {a['label']} against {b['label']}"
    rows = [
        [
            row["label"],
            row["count_a"],
            row["share_a"],
            *(row["ci_a"] or ["", ""]),
            row["count_b"],
            row["share_b"],
            *(row["ci_b"] or ["", ""]),
            row["p"],
            row["p_adjusted"],
        ]
        for row in result["themes"]
    ]
    result["asked"] = asked
    figure = Figure(
        "compare",
        title,
        "sources/analysis/compare.svg",
        compare_chart(result, title=title),
        header,
        rows,
        result=result,
    )
    figure.notes = [row["note"] for row in result["themes"] if row["note"]] or [
        "No theme's share differs more than chance would explain (5% level, Holm-adjusted)."
    ]
    if not result["themes"]:
        figure.chart, figure.empty = None, "The codebook has no themes yet."
    return figure


def timeline_figure(scope: Scope, query: Mapping[str, str]) -> Figure:
    found = timeline(scope)
    where = f" in {scope.session.name}" if scope.session else ""
    title = f"Tags per day and annotator{where}, status {scope.status}"
    rows = [
        [name, day.isoformat(), n]
        for name, counts in zip(found.annotators, found.counts, strict=True)
        for day, n in zip(found.days, counts, strict=True)
        if n
    ]
    figure = Figure(
        "timeline",
        title,
        "sources/analysis/heatmap.svg",
        None,
        ["annotator", "day", "tags"],
        rows,
        result=found.as_dict(),
    )
    if not found.days:
        figure.empty = "No tags yet."
        return figure
    most = max(max(row) for row in found.counts) or 1
    days = [day.strftime("%b %d") for day in found.days]
    figure.chart = heatmap(
        title=title,
        description="Each cell: tags an annotator made that day; the darker, the more.",
        row_labels=found.annotators,
        column_labels=days,
        intensity=[[n / most for n in row] for row in found.counts],
        texts=[[str(n) if n else "" for n in row] for row in found.counts],
        titles=[
            [f"{name}, {day}: {_plural(n, 'tag')}" for day, n in zip(days, row, strict=True)]
            for name, row in zip(found.annotators, found.counts, strict=True)
        ],
        label_width=150,
        cell_width=38,
    )
    return figure


FIGURES: dict[str, Callable[[Scope, Mapping[str, str]], Figure]] = {
    "matrix": matrix_figure,
    "cooccurrence": cooccurrence_figure,
    "claims": claims_figure,
    "compare": compare_figure,
    "timeline": timeline_figure,
}
