"""PDF ingestion benchmark: a long PDF read into passages, step by step, against extraction floors.

    .venv/bin/python bench/pdf_ingest.py               # prints a Markdown table
    .venv/bin/python bench/pdf_ingest.py --repeat 3    # best of three runs per step

The long PDF is every document of tests/data/pdf-corpus put one after the other (articles, a two-column
paper, theses, standards, an OCR'd scan), plus each thesis alone: a 103-page master's thesis (longer
than the 70-page thesis an import must take in a few seconds) and a 22-page Russian one. Floors, measured
in the same run: PDFium's plain text of every page (`get_text_range`, no positions) and pypdf's
`extract_text` (the ingester's former extraction). Steps: `pdf_pages` (characters with boxes and
fonts, lines), `pdf_blocks` (furniture, columns, roles, paragraphs, hyphenation) and the whole
`parse_document` (adds language detection per passage)."""

import argparse
import io
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "pdf-corpus"
THESES = ("thesis-flick-2014.pdf", "ru-dissertation.pdf")
sys.path.insert(0, str(ROOT))

from sources.ingest import parse_document  # noqa: E402
from sources.ingest.language import _detector  # noqa: E402
from sources.ingest.pdf import pdf_pages  # noqa: E402
from sources.ingest.pdf_blocks import pdf_blocks  # noqa: E402


def long_pdf() -> bytes:
    """The corpus's documents, one after the other, as one PDF."""
    combined = pdfium.PdfDocument.new()
    for path in sorted(CORPUS.glob("*.pdf")):
        source = pdfium.PdfDocument(path)
        combined.import_pages(source)
        source.close()
    buffer = io.BytesIO()
    combined.save(buffer)
    return buffer.getvalue()


def pdfium_text(data: bytes) -> int:
    document = pdfium.PdfDocument(data)
    return sum(len(page.get_textpage().get_text_range()) for page in document)


def pypdf_text(data: bytes) -> int:
    return sum(len(page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages)


def best_of(repeat: int, step: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def rows(name: str, data: bytes, repeat: int) -> list[str]:
    pages = len(pdfium.PdfDocument(data))
    floor = best_of(repeat, lambda: pdfium_text(data))
    steps = {
        "floor: PDFium plain text": floor,
        "floor: pypdf extract_text": best_of(repeat, lambda: pypdf_text(data)),
        "pdf_pages (layout extraction)": best_of(repeat, lambda: pdf_pages(data)),
        "pdf_pages + pdf_blocks": best_of(repeat, lambda: pdf_blocks(pdf_pages(data))),
        "parse_document (with languages)": best_of(repeat, lambda: parse_document(data, name)),
    }
    passages = len(parse_document(data, name).passages)
    return [
        f"| {name} | {pages} | {step} | {seconds:.2f} | {pages / seconds:.0f} | {seconds / floor:.1f}x |"
        for step, seconds in steps.items()
    ] + [f"| {name} | {pages} | passages | {passages} | | |"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1)
    repeat = parser.parse_args().repeat
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its font warnings are no part of the table
    _detector()  # the language models load once per process, not per document
    print("| document | pages | step | seconds | pages/s | vs PDFium floor |")
    print("|---|---:|---|---:|---:|---:|")
    lines = rows("corpus-combined.pdf", long_pdf(), repeat)
    for thesis in THESES:
        lines += rows(thesis, (CORPUS / thesis).read_bytes(), repeat)
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
