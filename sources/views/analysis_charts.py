"""The analysis charts' geometry, drawn as SVG by the templates in templates/sources/analysis/ (no
chart library, nothing from a CDN). Every mark carries its number as text or a <title>, and series
differ by shape or line pattern as well as colour, so no meaning rests on colour alone. Colours are
presentation attributes, not classes: a downloaded SVG (and the PNG made from it) looks the same
outside the page."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK = "#1f2328"
MUTED = "#5f6672"
GRID = "#e4e2dc"
LOW, HIGH = (247, 249, 252), (28, 78, 128)  # the heat scale, from almost white to deep blue

# Relation: (colour, dash pattern, line sample label); the pattern tells them apart without colour.
RELATION_STYLE = {
    "supports": ("#2f7d4f", "", "solid line"),
    "contradicts": ("#b3261e", "7 4", "dashed line"),
    "qualifies": ("#8a5a00", "2 3", "dotted line"),
}
GROUP_STYLE = {"a": ("#1c4e80", "circle"), "b": ("#b35c00", "square")}


def heat(value: float) -> str:
    """A colour for `value` in [0, 1] on the heat scale."""
    value = min(1.0, max(0.0, value))
    return "#" + "".join(f"{round(lo + (hi - lo) * value):02x}" for lo, hi in zip(LOW, HIGH, strict=True))


def ink_on(value: float) -> str:
    """Text colour readable on heat(value)."""
    return "#ffffff" if value > 0.5 else INK


def clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "\u2026"


# --- heatmaps: theme by source, theme by theme, annotator by day ---------------------------------------


@dataclass
class Cell:
    x: float
    y: float
    text_x: float
    text_y: float
    fill: str
    ink: str
    text: str
    title: str
    href: str = ""


@dataclass
class Label:
    x: float
    y: float
    text: str
    full: str


@dataclass
class Heatmap:
    width: float
    height: float
    cell_width: float
    cell_height: float
    rows: list[Label]
    columns: list[Label]
    cells: list[Cell]
    title: str
    description: str
    font: str = FONT
    ink: str = INK
    grid: str = GRID


def heatmap(
    *,
    title: str,
    description: str,
    row_labels: list[str],
    column_labels: list[str],
    intensity: list[list[float]],
    texts: list[list[str]],
    titles: list[list[str]],
    links: list[list[str]] | None = None,
    label_width: float = 210,
    cell_width: float = 46,
) -> Heatmap:
    """A grid of cells, one row per row label and one column per column label; each cell's colour is
    its `intensity` (0 to 1), its text printed in it, its title the whole sentence."""
    cell_height, header = 26.0, 120.0
    columns = [
        Label(label_width + (n + 0.5) * cell_width, header - 8, clip(text, 22), text)
        for n, text in enumerate(column_labels)
    ]
    rows = [
        Label(label_width - 8, header + (n + 0.5) * cell_height + 4, clip(text, 34), text)
        for n, text in enumerate(row_labels)
    ]
    cells = [
        Cell(
            x=label_width + c * cell_width,
            y=header + r * cell_height,
            text_x=label_width + (c + 0.5) * cell_width,
            text_y=header + r * cell_height + 17,
            fill=heat(value),
            ink=ink_on(value),
            text=texts[r][c],
            title=titles[r][c],
            href=links[r][c] if links else "",
        )
        for r, row in enumerate(intensity)
        for c, value in enumerate(row)
    ]
    return Heatmap(
        width=label_width + max(1, len(column_labels)) * cell_width + 100,  # room for the last label
        height=header + max(1, len(row_labels)) * cell_height + 8,
        cell_width=cell_width,
        cell_height=cell_height,
        rows=rows,
        columns=columns,
        cells=cells,
        title=title,
        description=description,
    )


# --- the claim map --------------------------------------------------------------------------------------


@dataclass
class Node:
    id: int
    x: float
    y: float
    text: str
    full: str
    links: int

    @property
    def label_y(self) -> float:
        return self.y + 4

    @property
    def before(self) -> float:
        """Where a label left of the node ends."""
        return self.x - 10

    @property
    def after(self) -> float:
        """Where a label right of the node starts."""
        return self.x + 10

    @property
    def corner(self) -> tuple[float, float]:
        return self.x - 4, self.y - 4


@dataclass
class LegendLine:
    relation: str
    colour: str
    dash: str
    words: str
    x: float


@dataclass
class Edge:
    path: str
    colour: str
    dash: str
    width: float
    title: str


@dataclass
class ClaimChart:
    width: float
    height: float
    claims: list[Node]
    sources: list[Node]
    edges: list[Edge]
    legend: list[LegendLine]
    left: float
    right: float
    title: str
    opacity: float = 0.8  # of the edges: lower when they are many, so that their bundles show
    font: str = FONT
    ink: str = INK
    muted: str = MUTED


ROW = 18.0
SWEEPS = 4  # barycentre sweeps: each reorders the claims by their sources, then the sources
DENSE = 100  # edges past which each is drawn fainter


def _barycentre(order: dict[int, int], neighbours: list[tuple[int, int]]) -> float:
    total = sum(weight for _, weight in neighbours)
    return sum(order[n] * weight for n, weight in neighbours) / total if total else math.inf


def claim_chart(result: dict, *, title: str) -> ClaimChart:
    """Claims on the left, sources on the right, an edge per (claim, source, relation). The claims are
    ordered by the mean position of their sources and the sources by that of their claims (SWEEPS
    barycentre sweeps), which keeps most edges short and few crossing; claims without evidence
    come last."""
    claims, sources, edges = result["claims"], result["sources"], result["edges"]
    of_claim: dict[int, list[tuple[int, int]]] = {c["id"]: [] for c in claims}
    of_source: dict[int, list[tuple[int, int]]] = {s["id"]: [] for s in sources}
    for edge in edges:
        of_claim[edge["claim"]].append((edge["source"], edge["links"]))
        of_source[edge["source"]].append((edge["claim"], edge["links"]))
    source_order = {s["id"]: n for n, s in enumerate(sources)}
    claim_order = {c["id"]: n for n, c in enumerate(claims)}
    for _ in range(SWEEPS):
        ranked = sorted(claims, key=lambda c: (_barycentre(source_order, of_claim[c["id"]]), c["id"]))
        claim_order = {c["id"]: n for n, c in enumerate(ranked)}
        ranked_sources = sorted(
            sources, key=lambda s: (_barycentre(claim_order, of_source[s["id"]]), s["id"])
        )
        source_order = {s["id"]: n for n, s in enumerate(ranked_sources)}
    # The claims' labels (52 characters at most) end left of `left`, with room for wide letters; the
    # sources' (34 at most) start right of `right`.
    top, left, right, width = 52.0, 360.0, 640.0, 900.0
    rows = max(len(claims), len(sources), 1)
    height = top + rows * ROW + 20
    claim_y = {pk: top + (n + 0.5) * ROW for pk, n in claim_order.items()}
    # Sources spread over the claims' height, so that their edges fan out rather than bunch up.
    step = (rows * ROW) / max(len(sources), 1)
    source_y = {pk: top + (n + 0.5) * step for pk, n in source_order.items()}
    offsets = {"supports": -3.0, "contradicts": 0.0, "qualifies": 3.0}
    claim_text = {c["id"]: c["text"] for c in claims}
    source_title = {s["id"]: s["title"] for s in sources}
    drawn = []
    for edge in edges:
        colour, dash, _ = RELATION_STYLE[edge["relation"]]
        y1 = claim_y[edge["claim"]] + offsets[edge["relation"]] / 2
        y2 = source_y[edge["source"]] + offsets[edge["relation"]]
        a, b, middle = left + 6, right - 6, (left + right) / 2
        path = f"M {a:.1f} {y1:.1f} C {middle:.1f} {y1:.1f}, {middle:.1f} {y2:.1f}, {b:.1f} {y2:.1f}"
        links = edge["links"]
        drawn.append(
            Edge(
                path=path,
                colour=colour,
                dash=dash,
                width=round(1.2 + math.log2(links), 2),
                title=f"{links} passage{'s' if links != 1 else ''} of \u201c{source_title[edge['source']]}"
                f"\u201d {edge['relation']} \u201c{clip(claim_text[edge['claim']], 80)}\u201d",
            )
        )
    return ClaimChart(
        width=width,
        height=height,
        claims=sorted(
            (
                Node(c["id"], left, claim_y[c["id"]], clip(c["text"], 52), c["text"], c["links"])
                for c in claims
            ),
            key=lambda node: node.y,
        ),
        sources=sorted(
            (
                Node(s["id"], right, source_y[s["id"]], clip(s["title"], 34), s["title"], s["links"])
                for s in sources
            ),
            key=lambda node: node.y,
        ),
        edges=drawn,
        legend=[
            LegendLine(relation, colour, dash, words, 20 + n * 150)
            for n, (relation, (colour, dash, words)) in enumerate(RELATION_STYLE.items())
        ],
        left=left,
        right=right,
        title=title,
        opacity=0.8 if len(drawn) <= DENSE else 0.5,
    )


# --- the comparison -------------------------------------------------------------------------------------


@dataclass
class Mark:
    x: float
    y: float
    low: float
    high: float
    colour: str
    shape: str
    title: str


@dataclass
class CompareRow:
    label: str
    y: float
    marks: list[Mark] = field(default_factory=list)
    significant: bool = False


@dataclass
class CompareChart:
    width: float
    height: float
    left: float
    right: float
    rows: list[CompareRow]
    ticks: list[tuple[float, str]]
    top: float
    bottom: float
    title: str
    legend: list[tuple[str, str, str]]  # label, colour, shape
    font: str = FONT
    ink: str = INK
    grid: str = GRID


def compare_chart(result: dict, *, title: str) -> CompareChart:
    """A row per theme: each group's share as a mark (a circle for the first group, a square for the
    second) on its 95% interval, on a scale up to the largest interval's end; significant rows are
    starred."""
    groups = result["groups"]
    rows_in = result["themes"]
    highs = [row[f"ci_{side}"][1] for row in rows_in for side in "ab" if row[f"ci_{side}"]]
    scale = max(0.1, math.ceil(max([0.0, *highs]) * 10) / 10)
    top, left, right, width, row_height = 30.0, 190.0, 640.0, 660.0, 30.0

    def x_of(share: float) -> float:
        return round(left + share / scale * (right - left), 2)

    rows = []
    for n, row in enumerate(rows_in):
        y = top + (n + 0.5) * row_height
        chart_row = CompareRow(label=clip(row["label"], 26), y=y, significant=row["significant"])
        for side, offset in (("a", -5), ("b", 5)):
            share, interval = row[f"share_{side}"], row[f"ci_{side}"]
            if share is None:
                continue
            colour, shape = GROUP_STYLE[side]
            group = groups[0 if side == "a" else 1]["label"]
            chart_row.marks.append(
                Mark(
                    x=x_of(share),
                    y=y + offset,
                    low=x_of(interval[0]),
                    high=x_of(interval[1]),
                    colour=colour,
                    shape=shape,
                    title=f"{row['label']}, {group}: {share * 100:.0f}% "
                    f"(95% interval {interval[0] * 100:.0f}\u2013{interval[1] * 100:.0f}%)",
                )
            )
        rows.append(chart_row)
    ticks = [(x_of(scale * n / 5), f"{scale * n / 5 * 100:.0f}%") for n in range(6)]
    bottom = top + max(1, len(rows)) * row_height
    return CompareChart(
        width=width,
        height=bottom + 12,
        left=left,
        right=right,
        rows=rows,
        ticks=ticks,
        top=top,
        bottom=bottom,
        title=title,
        legend=[
            (groups[0]["label"], *GROUP_STYLE["a"]),
            (groups[1]["label"], *GROUP_STYLE["b"]),
        ],
    )
