# The ingester reads Cyrillic text and typographic punctuation, so the patterns name both.
# ruff: noqa: RUF001, RUF002
"""A PDF's lines in reading order, each with its column and what it is from its place, size and weight.

- Columns: a page with lines in both halves and few across the middle is read left column, then
  right, band by band between the lines that span both (a title, a wide figure).
- Roles: the body text is the size most of the text is set in; headings are larger, or bold and
  short, or numbered and set apart; footnotes are smaller and below the last body line of the page;
  captions start with `Figure 1:` / `Table 2.` / `Рисунок 3 —`; other small text is figure or table text.
"""

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from .classify import ends_sentence, is_caps_heading, is_heading, starts_heading_number
from .pdf import PdfLine, PdfPage, merge_same_line
from .pdf_tables import table_lines

_CAPTION = re.compile(
    r"^(?:fig(?:ure)?|table|tab|рис(?:унок)?|таблица|сурет|кесте)\.?\s*"
    r"(?:\d+|[IVX]+)(?:\.\d+)*[a-z]?\s*[.:|—–-]",
    re.IGNORECASE,
)
# Sizes relative to the body text's.
_HEADING_SIZE = 1.15
_SMALL_SIZE = 0.9
_BODY_SIZE = 0.95
_MAX_HEADING_CHARS = 200
_MAX_BOLD_HEADING_CHARS = 120
# How far from the middle of the page a column's edge may reach, as a share of the page's width.
_GUTTER_SHARE = 0.02
_MIN_COLUMN_LINES = 5
_GUTTER_STEP = 1.0  # points
_GUTTER_WIDTH = 0.5  # of the body text's size
# Footnotes stand in the lower part of a page and start with a number or a mark.
_FOOTNOTE_AREA = 0.5
FOOTNOTE_MARK = re.compile(r"^(?:\d{1,3}|[*†‡§])\s?\S")
_WORDY_SHARE = 0.6
_MIN_LETTERS = 4
# A line spacing this much wider than the body's separates paragraphs.
_WIDE_SPACING = 1.35
# Line starts this close, in points, are one left edge; one with this share of the lines of the
# most common one is an edge too.
_EDGE_WAVER = 2
_EDGE_SHARE = 0.3
# Lines side by side above an empty strip this high, in line pitches, at most this many a column:
# an author block, read column by column before the text below it.
_SET_APART = 1.5
_MAX_SIDE_BY_SIDE = 8


@dataclass(frozen=True)
class Placed:
    """A line in reading order with the column it stands in and that column's edges on its page."""

    line: PdfLine
    column: int  # 0 for the left (or only) column, 1 for the right one, -1 across both
    left: float
    right: float
    role: str  # heading, body, footnote, caption, small

    @property
    def text(self) -> str:
        return self.line.text


@dataclass(frozen=True)
class Style:
    size: float  # the body text's size
    pitch: float  # the distance between the baselines of two body lines


def body_style(lines: list[PdfLine]) -> Style:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size * 2) / 2] += len(line.text)
    size = sizes.most_common(1)[0][0] if sizes else 10.0
    pitches = [
        following.bottom - line.bottom
        for line, following in itertools.pairwise(lines)
        if line.page == following.page
        and abs(line.size - size) < 0.1 * size
        and 0 < following.bottom - line.bottom < 3 * size
        and abs(following.x0 - line.x0) < 3 * size
    ]
    return Style(size=max(size, 1.0), pitch=statistics.median(pitches) if pitches else 1.2 * size)


def placed_lines(pages: list[PdfPage], furniture: set[PdfLine]) -> list[Placed]:
    """The lines of all pages but their furniture, in reading order, with their roles."""
    kept = [[line for line in page.lines if line not in furniture] for page in pages]
    style = body_style([line for lines in kept for line in lines])
    placed: list[Placed] = []
    for page, lines in zip(pages, kept, strict=True):
        placed.extend(_page_in_order(page, lines, style))
    return placed


def _page_in_order(page: PdfPage, pieces: list[PdfLine], style: Style) -> list[Placed]:
    gutters = _gutters(page, pieces, style)
    lines = merge_same_line(
        pieces, lambda previous, piece: not any(previous.x1 <= g <= piece.x0 for g in gutters)
    )
    columns = {}
    for line in lines:
        crossed = any(line.x0 < g < line.x1 for g in gutters)
        columns[line] = -1 if crossed else sum(g <= line.x0 for g in gutters)
    ordered: list[tuple[PdfLine, int]] = []
    for band in _bands(sorted(lines, key=lambda line: line.top), columns):
        for part in _side_by_side(band, columns, style):
            ordered += sorted(((line, columns[line]) for line in part), key=lambda pair: pair[1])
    edges = {
        column: _edges([line for line, other in ordered if other == column], style)
        for column in {column for _, column in ordered}
    }
    rights = {column: right for column, (_, right) in edges.items()}
    tabular = table_lines(lines, columns, rights, style.pitch)
    footnote_top = _footnote_top(page, lines, style)
    placed = []
    previous: PdfLine | None = None
    for line, column in ordered:
        set_apart = previous is None or line.bottom - previous.bottom > _WIDE_SPACING * style.pitch
        role = _role(line, edges[column], footnote_top, style, set_apart=set_apart)
        if role == "body" and line in tabular:
            role = "small"  # a table's cells in the body's type
        placed.append(Placed(line, column, *edges[column], role))
        previous = line
    return placed


def _bands(by_top: list[PdfLine], columns: dict[PdfLine, int]) -> list[list[PdfLine]]:
    """The page cut at each line across its columns (a title, a wide figure): that line is a band of
    its own, the lines between two such are read column by column."""
    bands: list[list[PdfLine]] = [[]]
    for line in by_top:
        if columns[line] == -1:
            bands += [[line], []]
        else:
            bands[-1].append(line)
    return [band for band in bands if band]


def _side_by_side(band: list[PdfLine], columns: dict[PdfLine, int], style: Style) -> list[list[PdfLine]]:
    """A band whose first few lines stand in several columns side by side, set apart from the rest by
    an empty strip across the page (authors under a title), read as two bands: the columns of the
    first, then those of the rest."""
    lowest = 0.0
    for index, line in enumerate(band):
        if index and line.top - lowest > _SET_APART * style.pitch:
            head = band[:index]
            counts = Counter(columns[other] for other in head)
            if len(counts) > 1 and max(counts.values()) <= _MAX_SIDE_BY_SIDE:
                return [head, band[index:]]
            return [band]
        lowest = max(lowest, line.bottom)
    return [band]


def _gutters(page: PdfPage, lines: list[PdfLine], style: Style) -> list[float]:
    """Where the page's columns are separated, from left to right.

    A gutter is a vertical strip, at least an em wide, that few lines cross while each side holds
    several lines: two columns of text, or a margin column beside the text."""
    if not lines:
        return []
    step = _GUTTER_STEP
    cells = int(max(page.width, max(line.x1 for line in lines)) / step) + 2
    starts = [0] * (cells + 1)
    for line in lines:
        starts[max(0, int(line.x0 / step))] += 1
        starts[min(cells, int(line.x1 / step) + 1)] -= 1
    cover = list(itertools.accumulate(starts))
    allowed = max(1, len(lines) // 20)
    left_edge = max(0, min(int(line.x0 / step) for line in lines))
    right_edge = max(int(line.x1 / step) for line in lines)
    gutters: list[float] = []
    cell = left_edge
    while cell <= right_edge:
        if cover[cell] <= allowed:
            start = cell
            while cell <= right_edge and cover[cell] <= allowed:
                cell += 1
            # The gutter's middle is that of its least crossed part.
            least = min(cover[start:cell])
            emptiest = [i for i in range(start, cell) if cover[i] == least]
            middle = (emptiest[0] + emptiest[-1] + 1) / 2 * step
            if (cell - start) * step >= _GUTTER_WIDTH * style.size and _both_sides_hold_text(lines, middle):
                gutters.append(middle)
        cell += 1
    return gutters


def _both_sides_hold_text(lines: list[PdfLine], x: float) -> bool:
    left = sum(line.x1 < x for line in lines)
    right = sum(line.x0 > x for line in lines)
    return left >= _MIN_COLUMN_LINES and right >= _MIN_COLUMN_LINES


def _edges(lines: list[PdfLine], style: Style) -> tuple[float, float]:
    """A column's left edge (where most of its lines start) and right edge (where most end)."""
    body = [line for line in lines if line.size >= _BODY_SIZE * style.size] or lines
    starts = Counter(round(line.x0) for line in body)
    # Lines starting within a point or two count together: an OCR layer's left edge wavers.
    lefts = {x: sum(n for other, n in starts.items() if abs(other - x) <= _EDGE_WAVER) for x in starts}
    # The leftmost edge many lines start at: where continuation lines start, also on a page of
    # short numbered paragraphs whose indented first lines outnumber them.
    left = min(x for x, count in lefts.items() if count >= _EDGE_SHARE * max(lefts.values()))
    rights = sorted(line.x1 for line in body)
    return float(left), rights[int(0.9 * (len(rights) - 1))]


def _footnote_top(page: PdfPage, lines: list[PdfLine], style: Style) -> float:
    """Where the page's footnotes start: the first small line below its last line of body text, in the
    lower part of the page, that starts with a footnote's mark (beyond the page when there is none)."""
    bottom = max((line.bottom for line in lines if line.size >= _BODY_SIZE * style.size), default=0.0)
    below = sorted(
        (line for line in lines if line.top >= bottom - 0.1 * style.size), key=lambda line: line.top
    )
    first = below[0] if below else None
    if (
        first is not None
        and first.top > _FOOTNOTE_AREA * page.height
        and FOOTNOTE_MARK.match(first.text)
        and sum(c.isalpha() for c in first.text) >= _MIN_LETTERS  # a note, not a figure's axis numbers
    ):
        return first.top
    return page.height + 1


def _role(
    line: PdfLine, edges: tuple[float, float], footnote_top: float, style: Style, *, set_apart: bool
) -> str:
    text = line.text
    size = line.size
    if size < _SMALL_SIZE * style.size:
        if line.top >= footnote_top - 0.1 * style.size:
            return "footnote"
        return "caption" if _CAPTION.match(text) else "small"
    if _CAPTION.match(text):
        return "caption"
    if not _has_words(text):
        return "small"  # axis numbers, a formula's pieces, an equation's number
    if size >= _HEADING_SIZE * style.size and len(text) <= _MAX_HEADING_CHARS and _wordy(text):
        return "heading"
    short = line.x1 < edges[1] - 2 * style.size
    numbered = starts_heading_number(text) and is_heading(text)
    if (
        line.bold
        and short
        and len(text) <= _MAX_BOLD_HEADING_CHARS
        and (numbered or not ends_sentence(text))
        and text[0].isalnum()
    ):
        return "heading"
    if set_apart and short and (numbered or is_caps_heading(text)) and len(text) <= _MAX_BOLD_HEADING_CHARS:
        return "heading"
    return "body"


def _wordy(text: str) -> bool:
    """Words, not a formula: mostly letters, starting with a letter or a number (`[Re] …` too), no `=`."""
    visible = [c for c in text if not c.isspace()]
    letters = sum(c.isalpha() for c in visible)
    opening = text.lstrip("[(«“\"'")[:1]
    return opening.isalnum() and "=" not in text and letters >= _WORDY_SHARE * len(visible)


def _has_words(text: str) -> bool:
    """Whether a line holds words, unlike `34`, `(2)` or `2 + (1 − g)`; `it.` ending a paragraph does."""
    letters = sum(c.isalpha() for c in text)
    return letters >= _MIN_LETTERS or letters > sum(not c.isalpha() and not c.isspace() for c in text)
