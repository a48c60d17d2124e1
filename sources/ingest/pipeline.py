"""parse_document: a file's bytes to a normalized text and its passages."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from .classify import classify, starts_heading_number
from .decode import decode_text
from .document import Block, ParsedDocument, PassageDraft
from .errors import IngestError
from .language import detect_languages, passage_languages
from .lines import join_lines, text_blocks
from .markdown import markdown_blocks
from .pdf import pdf_pages
from .pdf_blocks import pdf_blocks

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf")
PASSAGE_SEPARATOR = "\n\n"
# "en", or "en-US" / "en_US", of which the language is the first part.
_LANGUAGE_TAG = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]+)*")
# A line's text without the whitespace around it (a line with none is no passage).
_NON_BLANK_LINE = re.compile(r"[^\s](?:[^\n\r]*[^\s])?")
# Headings that name a part of an article rather than the article itself.
_SECTION_LABELS = frozenset(
    {
        "abstract",
        "summary",
        "introduction",
        "conclusion",
        "conclusions",
        "contents",
        "keywords",
        "references",
        "bibliography",
        "аннотация",
        "аңдатпа",
        "введение",
        "кіріспе",
        "заключение",
        "қорытынды",
        "резюме",
    }
)


def parse_document(data: bytes, filename: str, language: str | None = None) -> ParsedDocument:
    """Split a .txt, .md or .pdf file into passages.

    `language` (ISO 639-1), when given, is the document's language and the one passages too short to
    detect fall back to; each passage's language is still detected. Raises IngestError with a message
    for the user when the file cannot be read as a document."""
    document_language = _language_code(language) if language else None
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".md":
        blocks = markdown_blocks(decode_text(data))
    elif suffix == ".txt":
        blocks = _plain_blocks(decode_text(data))
    elif suffix == ".pdf":
        blocks = pdf_blocks(pdf_pages(data))
    elif not suffix:
        raise IngestError(f"file name has no extension: use {_suffix_list()}")
    else:
        raise IngestError(f"unsupported file type '{suffix}': use {_suffix_list()}")
    return _assemble(blocks, document_language)


def _plain_blocks(text: str) -> list[Block]:
    blocks = []
    for lines in text_blocks(text):
        joined = join_lines(lines)
        blocks.append(Block(classify(joined, len(lines)), joined))
    return blocks


def verbatim_document(text: str, language: str | None = None) -> ParsedDocument:
    """Passages over a text kept exactly as given, for another tool's text whose offsets point into it:
    every non-blank line is a passage (without the whitespace around it), its offsets into `text`
    unchanged, nothing joined, re-wrapped or removed."""
    document_language = _language_code(language) if language else None
    layout = _verbatim_layout(text)
    return _assemble(layout.blocks, document_language, text=text, starts=layout.starts)


@dataclass(frozen=True)
class GivenLayout:
    """A given text's passages before their languages are known."""

    blocks: list[Block]
    text: str | None  # the text as given, or None where the blocks joined by a blank line are that text
    starts: list[int] | None  # where each block starts in `text`


def _verbatim_layout(text: str) -> GivenLayout:
    spans = [(line.start(), line.end()) for line in _NON_BLANK_LINE.finditer(text)]
    blocks = [Block(classify(text[start:end], 1), text[start:end]) for start, end in spans]
    return GivenLayout(blocks, text, [start for start, _ in spans])


def given_layout(text: str) -> GivenLayout:
    """The passages of another tool's text, as `source_import(..., as_given=True)` makes them: the
    ingester's when its normalized text is the text itself, else a passage per non-blank line.

    Raises IngestError when the text is no document (empty, binary)."""
    blocks = _plain_blocks(decode_text(text.encode("utf-8")))
    layout = (
        GivenLayout(blocks, None, None)
        if PASSAGE_SEPARATOR.join(block.text for block in blocks) == text
        else _verbatim_layout(text)
    )
    if not layout.blocks:
        raise IngestError("file has no text")
    return layout


def given_documents(layouts: Sequence[GivenLayout]) -> list[ParsedDocument]:
    """The documents of many laid-out texts, their passages' languages detected in one batch."""
    detected = detect_languages([block.text for layout in layouts for block in layout.blocks])
    documents, offset = [], 0
    for layout in layouts:
        count = len(layout.blocks)
        documents.append(
            _assemble(
                layout.blocks,
                None,
                text=layout.text,
                starts=layout.starts,
                detected=detected[offset : offset + count],
            )
        )
        offset += count
    return documents


def _assemble(
    blocks: list[Block],
    document_language: str | None,
    *,
    text: str | None = None,
    starts: list[int] | None = None,
    detected: list[str | None] | None = None,
) -> ParsedDocument:
    """The document of `blocks`: by default their texts joined by a blank line; or `text` as given,
    the blocks found in it at `starts`. `detected`: the blocks' languages, when detected already."""
    if not blocks:
        raise IngestError("file has no text")
    languages, document_language = passage_languages(
        [block.text for block in blocks], document_language, detected
    )
    passages = []
    section = ""
    # A multilingual article repeats its title per language (English, Kazakh, Russian abstracts):
    # a passage's section is the nearest heading in its own language, else the nearest heading.
    section_by_language: dict[str, str] = {}
    start = 0
    for ordinal, (block, language) in enumerate(zip(blocks, languages, strict=True)):
        if block.kind == "heading":
            section = section_by_language[language] = block.text
        section = section_by_language.get(language, section)
        if starts is not None:
            start = starts[ordinal]
        end = start + len(block.text)
        passages.append(
            PassageDraft(ordinal, block.kind, section, block.text, language, start, end, block.attached)
        )
        start = end + len(PASSAGE_SEPARATOR)
    return ParsedDocument(
        text=PASSAGE_SEPARATOR.join(block.text for block in blocks) if text is None else text,
        passages=passages,
        title=_guess_title(blocks),
        language=document_language,
    )


def _guess_title(blocks: list[Block]) -> str | None:
    """The first heading that opens the document, unless it only names a part ("ABSTRACT", "1. ...")."""
    for block in blocks:
        if block.kind != "heading":
            return None
        names_a_part = block.text.rstrip(".:").casefold() in _SECTION_LABELS
        if not names_a_part and not starts_heading_number(block.text):
            return block.text
    return None


def _language_code(language: str) -> str:
    match = _LANGUAGE_TAG.fullmatch(language.strip().lower())
    if match is None:
        raise IngestError(
            f"unknown language code '{language}': use an ISO 639-1 code such as 'en', 'kk' or 'ru'"
        )
    return match[1]


def _suffix_list() -> str:
    return ", ".join(SUPPORTED_SUFFIXES[:-1]) + " or " + SUPPORTED_SUFFIXES[-1]
