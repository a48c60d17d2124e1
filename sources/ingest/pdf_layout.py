"""A PDF's lines in reading order, each with its column and what it is from its place, size and weight.

- Columns: a page with lines in both halves and few across the middle is read left column, then
  right, band by band between the lines that span both (a title, a wide figure).
- Roles: the body text is the size most of the text is set in; headings are larger, or bold and
  short, or numbered and set apart; footnotes are smaller and below the last body line of the page;
  captions start with `Figure 1:` / `Table 2.` / `Рисунок 3 —`; other small text is figure or table text.
"""

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from .classify import ends_sentence, is_caps_heading, is_heading, starts_heading_number
from .pdf import PdfLine, PdfPage

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
# A line spacing this much wider than the body's separates paragraphs.
_WIDE_SPACING = 1.35


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
        for line, following in zip(lines, lines[1:], strict=False)
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


def _page_in_order(page: PdfPage, lines: list[PdfLine], style: Style) -> list[Placed]:
    middle = page.width / 2
    gutter = _GUTTER_SHARE * page.width
    columns = {
        line: 0 if line.x1 <= middle + gutter else 1 if line.x0 >= middle - gutter else -1 for line in lines
    }
    by_top = sorted(lines, key=lambda line: line.top)
    counts = Counter(columns.values())
    if counts[0] < _MIN_COLUMN_LINES or counts[1] < _MIN_COLUMN_LINES or counts[-1] > counts[0] + counts[1]:
        ordered = [(line, 0) for line in by_top]
    else:
        ordered = []
        band: list[PdfLine] = []
        for line in by_top:
            if columns[line] == -1:
                ordered += _band_in_order(band, columns)
                ordered.append((line, -1))
                band = []
            else:
                band.append(line)
        ordered += _band_in_order(band, columns)
    edges = {
        column: _edges([line for line, other in ordered if other == column], style)
        for column in {column for _, column in ordered}
    }
    footnote_top = _footnote_top(lines, style)
    placed = []
    previous: PdfLine | None = None
    for line, column in ordered:
        set_apart = previous is None or line.bottom - previous.bottom > _WIDE_SPACING * style.pitch
        role = _role(line, edges[column], footnote_top, style, set_apart=set_apart)
        placed.append(Placed(line, column, *edges[column], role))
        previous = line
    return placed


def _band_in_order(band: list[PdfLine], columns: dict[PdfLine, int]) -> list[tuple[PdfLine, int]]:
    return [(line, 0) for line in band if columns[line] == 0] + [
        (line, 1) for line in band if columns[line] == 1
    ]


def _edges(lines: list[PdfLine], style: Style) -> tuple[float, float]:
    """A column's left edge (where most of its lines start) and right edge (where most end)."""
    body = [line for line in lines if line.size >= _BODY_SIZE * style.size] or lines
    lefts = Counter(round(line.x0) for line in body)
    left = min(x for x, count in lefts.items() if count == max(lefts.values()))
    rights = sorted(line.x1 for line in body)
    return float(left), rights[int(0.9 * (len(rights) - 1))]


def _footnote_top(lines: list[PdfLine], style: Style) -> float:
    """Below the page's last line of body text, where footnotes are."""
    body = [line.bottom for line in lines if line.size >= _BODY_SIZE * style.size]
    return max(body, default=0.0)


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
    if size >= _HEADING_SIZE * style.size and len(text) <= _MAX_HEADING_CHARS and any(c.isalpha() for c in text):
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
