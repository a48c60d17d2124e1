"""Un-wrapping the line layout of plain text (often copied out of a PDF) into blocks: the lines of one
passage each. PDF files themselves are read from their layout (`pdf_layout`, `pdf_blocks`).

Text copied out of a PDF keeps the page's line breaks. The layout tells where paragraphs end:
- a line holding only whitespace, or a run of blank lines, separates paragraphs; a single empty line
  does not when the document puts one after every line;
- a line indented by several spaces is a paragraph's first line;
- a line indented by one space is a page's first line: it continues the paragraph the page before
  left unfinished, and starts a new block after a finished one;
- a sentence-ending line short enough that the next line's first word would have fitted on it ends
  its paragraph; so does a short line that reads like a heading.
"""

import itertools
import re
from dataclasses import dataclass

from .classify import (
    ends_sentence,
    is_caps_heading,
    is_heading,
    starts_heading_number,
    starts_list_marker,
)

# How far around a line to look for the width of the text column, in lines.
_WIDTH_WINDOW = 4
# Paragraphs marked by indentation end at a short line only when it is clearly short.
_INDENTED_SHORT_LINE = 0.9
# A page's last line that neither ends a sentence nor fills the column ends a block.
_PAGE_END_SHORT_LINE = 0.75
# Text is taken for lines wrapped to a page's width when this share of its line breaks fall inside a sentence.
_WRAPPED_SHARE = 0.25
_HYPHENATED_END = re.compile(r"\w-$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class _Line:
    text: str  # without surrounding whitespace
    indent: int  # leading spaces: 1 on a page's first line, several on a paragraph's first line
    blanks_before: int  # blank lines between the previous line and this one
    spaced_before: bool  # one of those holds spaces: a separator put there on purpose


def text_blocks(text: str) -> list[list[str]]:
    """The lines of each block of a plain or PDF-extracted text, in order, stripped."""
    lines = _read_lines(text)
    pairs = list(itertools.pairwise(lines))
    if _wrapped_share(pairs) < _WRAPPED_SHARE:
        # Whole paragraphs, one a line: every line is a block.
        return [[line.text] for line in lines]
    blank_after_each_line = _has_blank_after_each_line(pairs)
    widths = _column_widths(lines)
    indented = sum(line.indent >= 2 for line in lines) >= 3
    blocks: list[list[str]] = []
    for i, line in enumerate(lines):
        # With a blank line after every line, only a whitespace-only line or a run of blank lines
        # separates paragraphs; otherwise any blank line does.
        separated = line.blanks_before > 0 and (
            not blank_after_each_line or line.blanks_before > 1 or line.spaced_before
        )
        if i == 0 or separated or _starts_block(lines[i - 1], line, widths[i - 1], indented, blocks[-1]):
            blocks.append([line.text])
        else:
            blocks[-1].append(line.text)
    return blocks


def join_lines(lines: list[str]) -> str:
    """One passage's text from its lines: a word hyphenated across lines keeps its hyphen and no space."""
    joined = ""
    for line in lines:
        if joined and not _HYPHENATED_END.search(joined):
            joined += " "
        joined += line
    return _SPACES.sub(" ", joined).strip()


def _read_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    blanks: list[str] = []
    for raw in text.split("\n"):
        line = raw.expandtabs(8)
        stripped = line.strip()
        if not stripped:
            blanks.append(line)
            continue
        lines.append(_Line(stripped, len(line) - len(line.lstrip()), len(blanks), any(blanks)))
        blanks = []
    return lines


def _wrapped_share(pairs: list[tuple[_Line, _Line]]) -> float:
    """The share of line breaks that fall inside a sentence: most of them in text wrapped to a
    page's width, next to none in text with a paragraph a line."""
    if not pairs:
        return 0.0
    return sum(_continues(previous.text, line.text) for previous, line in pairs) / len(pairs)


def _has_blank_after_each_line(pairs: list[tuple[_Line, _Line]]) -> bool:
    """Whether lines are mostly one blank line apart, and that blank line often falls inside a
    sentence, rather than between paragraphs."""
    one_apart = [(previous, line) for previous, line in pairs if line.blanks_before == 1]
    adjacent = sum(line.blanks_before == 0 for _, line in pairs)
    return len(one_apart) > 2 * adjacent and _wrapped_share(one_apart) >= _WRAPPED_SHARE


def _continues(previous: str, line: str) -> bool:
    """Whether `line` plainly goes on with the sentence `previous` left unfinished."""
    first = line[0]
    # Scripts without capitals (Chinese) count as continuing; capitals may start a new sentence.
    return not ends_sentence(previous) and (first.islower() or (first.isalpha() and not first.isupper()))


def _column_widths(lines: list[_Line]) -> list[int]:
    """For each line, the width of the text column around it: the longest nearby line. Measured
    locally because the width in characters changes with the script (a Cyrillic abstract runs
    shorter than the English body)."""
    lengths = [len(line.text) for line in lines]
    return [max(lengths[max(0, i - _WIDTH_WINDOW) : i + _WIDTH_WINDOW + 1]) for i in range(len(lengths))]


def _starts_block(previous: _Line, line: _Line, width: int, indented: bool, block: list[str]) -> bool:
    """Whether `line` starts a new block after `previous`, the last line of `block`, without a
    separator between them; `width` is the column width at `previous`."""
    if line.indent >= 2:
        return True
    previous_caps, line_caps = is_caps_heading(previous.text), is_caps_heading(line.text)
    if previous_caps or line_caps:
        # A title in capitals may wrap over lines, but it never runs on into ordinary text.
        return previous_caps != line_caps or starts_heading_number(line.text)
    if line.indent == 1 and line.text[0].islower():
        return False
    finished = ends_sentence(previous.text)
    if finished and starts_list_marker(line.text):
        return True
    if line.indent == 1:
        return finished or len(previous.text) < _PAGE_END_SHORT_LINE * width
    # Had the next word fitted, the line would not have been broken there: the paragraph ended.
    room = width * _INDENTED_SHORT_LINE if indented else width
    next_word_fits = len(previous.text) + 1 + len(line.text.split()[0]) <= room
    if finished:
        return next_word_fits
    return len(block) == 1 and next_word_fits and is_heading(previous.text) and _starts_capitalized(line.text)


def _starts_capitalized(text: str) -> bool:
    first = text.lstrip('“«"\N{LEFT SINGLE QUOTATION MARK}„(')[:1]
    return first.isupper() or first.isdigit()
