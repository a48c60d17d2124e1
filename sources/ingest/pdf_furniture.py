# The ingester reads Cyrillic text and typographic punctuation, so the patterns name both.
# ruff: noqa: RUF001, RUF002
"""Page furniture: running heads, footers and page numbers, told by repeating in the pages' margins."""

import math
import re
from collections import defaultdict

from .pdf import PdfLine, PdfPage, same_baseline

# The share of a page's height, at its top and at its bottom, where furniture stands.
_MARGIN_SHARE = 0.15
# Lines nearest a page's top or bottom edge that may be furniture, at each edge.
_EDGE_LINES = 3
# A margin line is furniture when its wording (numbers aside) is on this share of the pages.
_REPEAT_SHARE = 0.25
_MIN_TITLE_LETTERS = 4
_TITLE_SHARE = 0.6
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
        margin = _margin_lines(page)
        numbers = [line for line in margin if _PAGE_NUMBER.match(line.text)]
        for line in margin:
            # A page number, and what stands beside it (`CHAPTER 1. INTRODUCTION   6`): a running
            # head that names the chapter or section changes too often to repeat enough.
            if any(same_baseline(line, number) for number in numbers) and _titled(line.text):
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


def _titled(text: str) -> bool:
    """Words, as a chapter's or section's title is (not a formula's or a figure's pieces)."""
    visible = [c for c in text if not c.isspace()]
    return sum(c.isalpha() for c in visible) >= max(_MIN_TITLE_LETTERS, _TITLE_SHARE * len(visible))


def _wording(text: str) -> str:
    """The words of a line without its numbers, spacing and punctuation: `ГОСТ Р 7.0.11— 2011` is
    the same running head as `ГОСТ Р 7.0.11—2011`, `Heiss 2` as `Heiss 3`."""
    return _DIGITS.sub("#", _NOT_WORD.sub("", text.casefold()))
