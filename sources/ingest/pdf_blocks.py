# The ingester reads Cyrillic text and typographic punctuation, so the patterns name both.
"""A PDF's passages from its lines in reading order (`pdf_layout`).

Paragraphs end at a wider line spacing, an indented first line, a short line ending a sentence, or a
list marker; they go on across page and column breaks, and past a figure or footnote that interrupts
them. Headings are their own passages, also over several lines; the references section gives one
passage per entry (numbered, or by hanging indentation); footnotes follow the paragraph their page
ended in; captions and figure or table text are passages of their own kinds."""

import re
from dataclasses import dataclass, field, replace

from .classify import ends_sentence, is_quotation, starts_list_marker
from .document import Block
from .errors import IngestError
from .hyphenation import Vocabulary, join_broken_lines
from .ocr_text import mend_split_words, word_counts
from .pdf import MARK, PdfPage
from .pdf_furniture import furniture_lines
from .pdf_layout import FOOTNOTE_MARK, Placed, Style, body_style, placed_lines

_REFERENCE_HEADINGS = re.compile(
    r"^(?:[\dIVX]+\.?\s*)?(?:references?|bibliography|works cited|literature cited|"
    r"список (?:использованн\w+ )?(?:литературы|источников)|литература|библиография|"
    r"пайдаланылған әдебиеттер(?: тізімі)?|әдебиеттер(?: тізімі)?)\W*$",
    re.IGNORECASE,
)
_NUMBERED_ENTRY = re.compile(r"^(?:\[\d{1,4}\]|\d{1,4}[.)]\s)")
# Average width of a character, in ems, to tell whether the next line's first word would have fitted.
_CHAR_WIDTH = 0.5
_INDENT = 0.7  # ems
_MAX_INDENT = 8.0


@dataclass(eq=False)
class _Open:
    kind: str
    lines: list[Placed] = field(default_factory=list)
    attached: "_Open | None" = None  # a footnote's paragraph


def pdf_blocks(pages: list[PdfPage]) -> list[Block]:
    """The passages of a PDF's pages, as blocks."""
    furniture = furniture_lines(pages)
    placed = _mended(placed_lines(pages, furniture), {page.number for page in pages if page.ocr})
    if not placed:
        raise IngestError("PDF has no extractable text")
    style = body_style([item.line for item in placed])
    vocabulary = Vocabulary(item.text for item in placed)
    texts = [
        (block, text)
        for block in _Builder(style, placed).build()
        if (text := join_broken_lines([item.text for item in block.lines], vocabulary))
    ]
    index = {block: number for number, (block, _) in enumerate(texts)}
    return [Block(_final_kind(block.kind, text), text, index.get(block.attached)) for block, text in texts]


def _mended(placed: list[Placed], ocr_pages: set[int]) -> list[Placed]:
    """The lines, those of pages read by OCR with the words their stray spaces split put together."""
    if not ocr_pages:
        return placed
    counts = word_counts(item.text for item in placed)
    return [
        replace(item, line=replace(item.line, text=mend_split_words(item.text, counts)))
        if item.line.page in ocr_pages
        else item
        for item in placed
    ]


def _final_kind(kind: str, text: str) -> str:
    if kind == "paragraph":
        if starts_list_marker(text):
            return "list_item"
        if is_quotation(text):
            return "quote"
    return kind


class _Builder:
    def __init__(self, style: Style, placed: list[Placed]) -> None:
        self.style = style
        self.placed = placed
        self.references = _reference_sections(placed, style)
        self.blocks: list[_Open] = []
        self.footnotes: list[_Open] = []  # of the pages read, waiting for their paragraph to end
        self.flow: _Open | None = None  # the last paragraph, which a line after a figure may go on
        self.in_references = False

    def build(self) -> list[_Open]:
        for index, item in enumerate(self.placed):
            if item.role == "footnote":
                self._footnote(item)
            elif item.role == "heading" and not (self.in_references and self._numbered_entry(item)):
                self._heading(item)
            elif item.role == "caption":
                self._start("caption", item)
            elif item.role == "small" and not (self.in_references and self._reference_text(item)):
                current = self.blocks[-1] if self.blocks else None
                if current and (
                    (current.kind == "table" and current.lines[-1].line.page == item.line.page)
                    or (current.kind == "caption" and not self._gap(current.lines[-1], item))
                ):
                    current.lines.append(item)
                else:
                    self._start("table", item)
            else:
                self._body(item, index)
        self._flush_footnotes()
        return self.blocks

    def _reference_text(self, item: Placed) -> bool:
        """Small type in the references that is an entry's, not a figure's: words, or the end of an entry."""
        current = self.blocks[-1] if self.blocks else None
        goes_on = (
            current is not None and current.kind == "reference" and not self._gap(current.lines[-1], item)
        )
        return goes_on or _wordy_line(item)

    def _numbered_entry(self, item: Placed) -> bool:
        """A numbered line in the references, set like the entries: an entry, not a heading."""
        return bool(_NUMBERED_ENTRY.match(item.text)) and item.line.size < 1.1 * self.style.size

    def _footnote(self, item: Placed) -> None:
        last = self.footnotes[-1] if self.footnotes else None
        continues = last is not None and last.lines[-1].line.page == item.line.page
        if continues and not FOOTNOTE_MARK.match(item.text) and not self._gap(last.lines[-1], item):
            last.lines.append(item)
        else:
            self.footnotes.append(_Open("footnote", [item]))

    def _heading(self, item: Placed) -> None:
        current = self.blocks[-1] if self.blocks else None
        if (
            current is not None
            and current.kind == "heading"
            and current.lines[-1].line.page == item.line.page
            and abs(current.lines[-1].line.size - item.line.size) < 0.05 * item.line.size
            and item.line.bottom - current.lines[-1].line.bottom < 2 * item.line.size
        ):
            current.lines.append(item)
        else:
            self._start("heading", item)
        self.in_references = bool(_REFERENCE_HEADINGS.match(" ".join(i.text for i in self.blocks[-1].lines)))

    def _body(self, item: Placed, index: int) -> None:
        kind = "reference" if self.in_references else "paragraph"
        current = self.blocks[-1] if self.blocks else None
        if (
            current is not None
            and current.kind in (kind, "caption")
            and not self._breaks(current, item, index)
        ):
            current.lines.append(item)
            return
        flow = self.flow
        if (
            flow is not None
            and current is not flow
            and current is not None
            and current.kind in ("table", "caption", "footnote")
            and flow.kind == kind
            and item.text[0].islower()
            and not ends_sentence(flow.lines[-1].text)
        ):
            flow.lines.append(item)  # the paragraph goes on after a figure
            return
        self._start(kind, item)

    def _start(self, kind: str, item: Placed) -> None:
        if kind != "footnote":
            self._flush_footnotes()
        block = _Open(kind, [item])
        self.blocks.append(block)
        if kind in ("paragraph", "reference"):
            self.flow = block

    def _flush_footnotes(self) -> None:
        for note in self.footnotes:
            note.attached = self._citing(note) or self.flow or (self.blocks[-1] if self.blocks else None)
        self.blocks.extend(self.footnotes)
        self.footnotes = []

    def _citing(self, note: _Open) -> _Open | None:
        """The passage whose superscript marker on the footnote's page (or the page before) cites it."""
        mark = MARK.match(note.lines[0].text)
        page = note.lines[0].line.page
        for block in reversed(self.blocks):
            if block.lines[-1].line.page < page - 1:
                break
            if block.kind != "footnote" and mark and any(mark[0] in item.line.marks for item in block.lines):
                return block
        return None

    def _gap(self, previous: Placed, item: Placed) -> bool:
        """Whether a wider spacing than the text's own, or a page or column break, separates the lines."""
        if previous.line.page != item.line.page or previous.column != item.column:
            return True
        pitch = item.line.bottom - previous.line.bottom
        own = max(previous.line.size, item.line.size) / self.style.size * self.style.pitch
        return not (0 < pitch <= 1.35 * own)

    def _breaks(self, block: _Open, item: Placed, index: int) -> bool:
        """Whether `item` starts a new passage after the last line of `block`."""
        previous = block.lines[-1]
        size = self.style.size
        indent = item.line.x0 - item.left
        indented = _INDENT * size < indent < _MAX_INDENT * size
        previous_indented = previous.line.x0 - previous.left > _INDENT * size
        finished = ends_sentence(previous.text)
        first_word = item.text.split()[0]
        room = previous.right - previous.line.x1
        next_word_fits = room > (len(first_word) + 1) * _CHAR_WIDTH * size
        same_flow = previous.line.page == item.line.page and previous.column == item.column
        how, left = self.references.get(index, ("plain", item.left))
        if block.kind == "reference" and how != "plain":
            if _NUMBERED_ENTRY.match(item.text) or (same_flow and self._gap(previous, item)):
                return True
            return how == "hanging" and item.line.x0 - left < _INDENT * size
        if same_flow and self._gap(previous, item):
            return True
        if abs(item.line.size - previous.line.size) > 0.1 * size:
            return True
        if indented and not previous_indented:
            return True
        if starts_list_marker(item.text) and (finished or next_word_fits):
            return True
        return finished and next_word_fits


def _reference_sections(placed: list[Placed], style: Style) -> dict[int, tuple[str, float]]:
    """For the lines of each references section: how its entries are told apart (`numbered`,
    `hanging` indentation, or `plain` paragraphs) and the left edge of the section's column there."""
    found: dict[int, tuple[str, float]] = {}
    section: list[int] = []
    inside = False
    for index, item in enumerate([*placed, None]):
        if item is None or item.role == "heading":
            found.update(_entry_style(placed, section, style))
            section = []
            inside = item is not None and bool(_REFERENCE_HEADINGS.match(item.text))
        elif inside and item.role in ("body", "small"):
            section.append(index)
    return found


def _entry_style(placed: list[Placed], section: list[int], style: Style) -> dict[int, tuple[str, float]]:
    if not section:
        return {}
    lefts: dict[tuple[int, int], float] = {}
    for i in section:
        key = (placed[i].line.page, placed[i].column)
        lefts[key] = min(lefts.get(key, placed[i].line.x0), placed[i].line.x0)
    left_of = {i: lefts[(placed[i].line.page, placed[i].column)] for i in section}
    numbered = sum(bool(_NUMBERED_ENTRY.match(placed[i].text)) for i in section)
    indented = sum(placed[i].line.x0 - left_of[i] > _INDENT * style.size for i in section)
    if numbered >= 2:
        how = "numbered"
    elif 0.2 * len(section) <= indented <= 0.8 * len(section):
        how = "hanging"
    else:
        how = "plain"
    return {i: (how, left_of[i]) for i in section}


def _wordy_line(item: Placed) -> bool:
    """A line of words, as a reference set in small type is, rather than a figure's numbers."""
    return sum(c.isalpha() for c in item.text) >= max(4, 0.3 * len(item.text))
