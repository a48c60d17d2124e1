# The ingester reads Cyrillic text and typographic punctuation, so the patterns name both.
# ruff: noqa: RUF001, RUF002
"""Page furniture: running heads, footers and page numbers, told by repeating in the pages' margins."""

import math
import re
from collections import defaultdict

from .pdf import PdfLine, PdfPage

# The share of a page's height, at its top and at its bottom, where furniture stands.
_MARGIN_SHARE = 0.12
# Lines nearest a page's top or bottom edge that may be furniture, at each edge.
_EDGE_LINES = 3
# A margin line is furniture when its wording (numbers aside) is on this share of the pages.
_REPEAT_SHARE = 0.25
_DIGITS = re.compile(r"\d+")
_NOT_WORD = re.compile(r"\W+")
_PAGE_NUMBER = re.compile(
    r"^(?:page|p\.|стр\.?|бет)?\s*[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—]?"
    r"(?:\s*(?:/|of|из)\s*\d{1,4})?$",
    re.IGNORECASE,
)


def furniture_lines(pages: list[PdfPage]) -> set[PdfLine]:
    """The lines of all pages that are running heads, footers or page numbers."""
    candidates: dict[str, list[PdfLine]] = defaultdict(list)
    found: set[PdfLine] = set()
    for page in pages:
        for line in _margin_lines(page):
            if _PAGE_NUMBER.match(line.text):
                found.add(line)
            candidates[_wording(line.text)].append(line)
    needed = max(2, math.ceil(_REPEAT_SHARE * len(pages)))
    for lines in candidates.values():
        if len({line.page for line in lines}) >= needed:
            found.update(lines)
    return found


def _margin_lines(page: PdfPage) -> list[PdfLine]:
    by_height = sorted(page.lines, key=lambda line: line.top)
    edges = by_height[:_EDGE_LINES] + by_height[-_EDGE_LINES:]
    margin = _MARGIN_SHARE * page.height
    return [
        line for line in dict.fromkeys(edges) if line.bottom <= margin or line.top >= page.height - margin
    ]


def _wording(text: str) -> str:
    """The words of a line without its numbers, spacing and punctuation: `ГОСТ Р 7.0.11— 2011` is
    the same running head as `ГОСТ Р 7.0.11—2011`, `Heiss 2` as `Heiss 3`."""
    return _DIGITS.sub("#", _NOT_WORD.sub("", text.casefold()))
