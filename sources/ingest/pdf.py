"""The lines of a PDF's pages, with where they stand, how large and how heavy their letters are.

PDFium (pypdfium2) reads the characters with their boxes in the order the page draws them and marks
where one line of text ends; the lines are put in reading order later (`pdf_layout`). Text is
NFKC-normalised (ligatures `ﬁ` become `fi`), soft hyphens inside a line are dropped, and a hyphen
PDFium recognised as breaking a word at a line's end is kept as a soft one (`SOFT_HYPHEN`) for the
document to decide on."""

import ctypes
import re
import statistics
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .decode import normalize_text
from .errors import IngestError

# What a line ending in a hyphen that may only break the word carries to the layout: U+00AD.
SOFT_HYPHEN = "\N{SOFT HYPHEN}"
# PDFium marks a hyphen it takes for a word break at a line's end with U+FFFE (or U+0002).
_PDFIUM_LINE_END_HYPHEN = "\ufffe\x02"
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|cmbx|-bd\b|\bbd\b", re.IGNORECASE)
_BOLD_WEIGHT = 600
_FONT_NAME_BYTES = 128
# Pieces of one line (a superscript, a change of font, words spaced wide) are this close, in ems.
_SAME_LINE_GAP = 3.0
_WORD_GAP = 0.15
# A gap between two characters of one run this wide, in ems, is a column's gutter.
_COLUMN_GAP = 1.0
# A superscript is this much smaller than the line's letters and raised above their baseline.
_SUPERSCRIPT_SIZE = 0.85
_SUPERSCRIPT_RISE = 0.15
# An image over this share of a page drawn after its text, or this share of its text invisible: OCR.
_SCAN_SHARE = 0.8
_INVISIBLE_SHARE = 0.5
# An OCR line's size this close to the page's, as a share of it, is the page's size, taken as 10 pt.
_OCR_SIZE_SPREAD = 0.15
_OCR_BODY_SIZE = 10.0
# A footnote's marker: a number or a mark.
MARK = re.compile(r"\d{1,3}|[*†‡§]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class PdfLine:
    page: int  # 0-based
    text: str  # without surrounding whitespace; a word broken at its end ends in SOFT_HYPHEN or "-"
    x0: float  # left, right, top and bottom edges in points, from the page's top left corner
    x1: float
    top: float
    bottom: float
    size: float  # the font size of its first letter, in points as printed (scaling included)
    bold: bool
    # Footnote markers printed as superscripts in the line (`MB¹` gives "1"), in order.
    marks: tuple[str, ...] = ()


@dataclass(frozen=True)
class PdfPage:
    number: int  # 0-based
    width: float
    height: float
    lines: list[PdfLine]
    # A scanned page's text layer from OCR: invisible text, or text under an image of the whole page.
    ocr: bool = False


def pdf_pages(data: bytes) -> list[PdfPage]:
    """Every page's lines, in the order the page draws them. Raises IngestError for what cannot be read."""
    if not data:
        raise IngestError("file is empty")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise IngestError("PDF is password-protected") from error
        raise IngestError(f"not a readable PDF: {error}") from error
    try:
        pages = [_read_page(document, number) for number in range(len(document))]
    except pdfium.PdfiumError as error:
        raise IngestError(f"not a readable PDF: {error}") from error
    finally:
        document.close()
    if not any(page.lines for page in pages):
        raise IngestError("PDF has no extractable text")
    return pages


def _read_page(document: pdfium.PdfDocument, number: int) -> PdfPage:
    page = document[number]
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            pieces = _line_pieces(textpage, number, height)
        finally:
            textpage.close()
        under_image, invisible = _ocr_layer(page, width * height)
    finally:
        page.close()
    lines = merge_same_line(pieces, lambda previous, piece: True)
    if invisible:
        lines = _even_sizes(lines)
    return PdfPage(number, width, height, lines, ocr=under_image or invisible)


def _even_sizes(lines: list[PdfLine]) -> list[PdfLine]:
    """An OCR layer's lines with sizes relative to the page's text, which is set at `_OCR_BODY_SIZE`:
    OCR sets each line's size from its height, which capitals and descenders change (8 pt, then 9,
    then 8), and a page's sizes from the resolution it was scanned at."""
    sizes = sorted(line.size for line in lines for _ in line.text)
    if not sizes:
        return lines
    page_size = sizes[len(sizes) // 2]
    return [replace(line, size=_ocr_size(line.size / page_size)) for line in lines]


def _ocr_size(relative: float) -> float:
    return _OCR_BODY_SIZE if abs(relative - 1) < _OCR_SIZE_SPREAD else relative * _OCR_BODY_SIZE


def _ocr_layer(page: pdfium.PdfPage, area: float) -> tuple[bool, bool]:
    """Whether the page's text is an OCR layer over a scan: drawn first and covered by an image of the
    whole page (Acrobat's searchable image), or most of it drawn invisible (render mode 3, as
    Tesseract and OCRmyPDF write it, each line's size from its height)."""
    invisible = drawn = 0
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for index in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            drawn += 1
            invisible += pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE and drawn:
            pdfium_c.FPDFPageObj_GetBounds(obj, *(ctypes.byref(v) for v in (left, bottom, right, top)))
            if (right.value - left.value) * (top.value - bottom.value) >= _SCAN_SHARE * area:
                return True, False
    return False, drawn > 0 and invisible >= _INVISIBLE_SHARE * drawn


def _line_pieces(textpage: pdfium.PdfTextPage, number: int, height: float) -> list[PdfLine]:
    """The runs of characters between the line breaks PDFium puts into the page's text."""
    handle = textpage.raw
    count = pdfium_c.FPDFText_CountChars(handle)
    text = textpage.get_text_range(0, count) if count > 0 else ""
    if len(text) != count:  # characters outside the BMP: read them one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(handle, i)) for i in range(count))
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    pieces: list[PdfLine] = []
    chars: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []
    first_letter = -1
    for index, char in enumerate(text):
        if char in "\r\n":
            if chars:
                pieces.append(_piece(handle, number, height, chars, boxes, first_letter))
            chars, boxes, first_letter = [], [], -1
            continue
        if not char.isspace():
            pdfium_c.FPDFText_GetLooseCharBox(handle, index, rect_ref)
            box = (rect.left, rect.right, height - rect.top, height - rect.bottom)
            if boxes and box[0] - boxes[-1][1] > _COLUMN_GAP * max(box[3] - box[2], 1.0):
                # A gap as wide as a gutter: the next column's line, drawn in the same run.
                pieces.append(_piece(handle, number, height, chars, boxes, first_letter))
                chars, boxes, first_letter = [], [], -1
            boxes.append(box)
            # The first letter, or until there is one the first character: its font is the line's.
            if first_letter < 0 or (char.isalpha() and not text[first_letter].isalpha()):
                first_letter = index
        chars.append(char)
        if char in _PDFIUM_LINE_END_HYPHEN:
            # The word goes on at the start of the next line, with no line break in PDFium's text.
            pieces.append(_piece(handle, number, height, chars, boxes, first_letter))
            chars, boxes, first_letter = [], [], -1
            continue
    if chars:
        pieces.append(_piece(handle, number, height, chars, boxes, first_letter))
    return [piece for piece in pieces if piece.text]


def _piece(
    handle: pdfium_c.FPDF_TEXTPAGE,
    number: int,
    height: float,
    chars: list[str],
    boxes: list[tuple[float, float, float, float]],
    first_letter: int,
) -> PdfLine:
    text = _clean("".join(chars))
    if not boxes:
        return PdfLine(number, "", 0, 0, 0, 0, 0, False)
    visible = [char for char in chars if not char.isspace()]
    return PdfLine(
        page=number,
        text=text,
        x0=min(box[0] for box in boxes),
        x1=max(box[1] for box in boxes),
        top=min(box[2] for box in boxes),
        bottom=max(box[3] for box in boxes),
        size=pdfium_c.FPDFText_GetFontSize(handle, first_letter) if first_letter >= 0 else 0.0,
        bold=first_letter >= 0 and _is_bold(handle, first_letter),
        marks=_superscripts(visible, boxes),
    )


def _superscripts(chars: list[str], boxes: list[tuple[float, float, float, float]]) -> tuple[str, ...]:
    """The footnote markers among a run's characters: marks set smaller than its letters, raised."""
    letters = [box for char, box in zip(chars, boxes, strict=True) if char.isalpha()]
    if not letters:
        return ()
    height = statistics.median(box[3] - box[2] for box in letters)
    baseline = statistics.median(box[3] for box in letters)
    raised = "".join(
        char if MARK.fullmatch(char) and _is_superscript(box, height, baseline) else " "
        for char, box in zip(chars, boxes, strict=True)
    )
    return tuple(MARK.findall(raised))


def _is_superscript(box: tuple[float, float, float, float], height: float, baseline: float) -> bool:
    return box[3] - box[2] < _SUPERSCRIPT_SIZE * height and box[3] < baseline - _SUPERSCRIPT_RISE * height


def _clean(text: str) -> str:
    """NFKC, no soft hyphens or control characters inside; a word-breaking hyphen at the end kept soft."""
    stripped = text.rstrip()
    breaks_word = stripped[-1:] in _PDFIUM_LINE_END_HYPHEN
    if breaks_word:
        stripped = stripped[:-1]
    for mark in _PDFIUM_LINE_END_HYPHEN + SOFT_HYPHEN:
        stripped = stripped.replace(mark, "")
    # Characters beyond the BMP come as pairs of UTF-16 surrogates; a lone one is no character.
    stripped = stripped.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    cleaned = _SPACES.sub(" ", unicodedata.normalize("NFKC", normalize_text(stripped))).strip()
    return cleaned + SOFT_HYPHEN if breaks_word and cleaned else cleaned


def _is_bold(handle: pdfium_c.FPDF_TEXTPAGE, index: int) -> bool:
    if pdfium_c.FPDFText_GetFontWeight(handle, index) >= _BOLD_WEIGHT:
        return True
    buffer = ctypes.create_string_buffer(_FONT_NAME_BYTES)
    flags = ctypes.c_int()
    length = pdfium_c.FPDFText_GetFontInfo(handle, index, buffer, _FONT_NAME_BYTES, ctypes.byref(flags))
    name = buffer.raw[: max(0, min(length, _FONT_NAME_BYTES) - 1)].decode("latin-1")
    return bool(_BOLD_FONT.search(name.split("+")[-1]))


def merge_same_line(pieces: list[PdfLine], may_join: Callable[[PdfLine, PdfLine], bool]) -> list[PdfLine]:
    """One line from consecutive pieces on the same baseline (a superscript, a change of font, words
    spaced wide), where `may_join` allows (no column's gutter between them)."""
    lines: list[PdfLine] = []
    for piece in pieces:
        if lines and _same_line(lines[-1], piece) and may_join(lines[-1], piece):
            previous = lines[-1]
            size = max(previous.size, piece.size)
            gap = piece.x0 - previous.x1
            # A word broken within one line (by a soft hyphen) is whole again.
            head = previous.text.removesuffix(SOFT_HYPHEN)
            joiner = "" if gap < _WORD_GAP * size or head != previous.text else " "
            main = previous if len(previous.text) >= len(piece.text) else piece
            lines[-1] = PdfLine(
                page=previous.page,
                text=head + joiner + piece.text,
                x0=min(previous.x0, piece.x0),
                x1=max(previous.x1, piece.x1),
                top=min(previous.top, piece.top),
                bottom=max(previous.bottom, piece.bottom),
                size=main.size,
                bold=main.bold,
                marks=previous.marks + _piece_marks(previous, piece),
            )
        else:
            lines.append(piece)
    return lines


def _piece_marks(line: PdfLine, piece: PdfLine) -> tuple[str, ...]:
    """The markers a piece joined to a line brings: its own, or itself when it is a raised, smaller mark."""
    if (
        MARK.fullmatch(piece.text)
        and piece.size < _SUPERSCRIPT_SIZE * line.size
        and piece.bottom < line.bottom - _SUPERSCRIPT_RISE * line.size
    ):
        return (piece.text,)
    return piece.marks


def _same_line(previous: PdfLine, piece: PdfLine) -> bool:
    size = max(previous.size, piece.size, 1.0)
    return same_baseline(previous, piece) and -0.2 * size <= piece.x0 - previous.x1 <= _SAME_LINE_GAP * size


def same_baseline(line: PdfLine, other: PdfLine) -> bool:
    """Whether two lines overlap by half the height of the lower one: they stand side by side."""
    overlap = min(line.bottom, other.bottom) - max(line.top, other.top)
    smaller = min(line.bottom - line.top, other.bottom - other.top)
    return smaller > 0 and overlap >= 0.5 * smaller
