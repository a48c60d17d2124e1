"""Files that are not documents are refused with a message that names the problem."""

import pytest

from sources.ingest import IngestError, parse_document

from .minimal_pdf import minimal_pdf


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "notes.txt", "file is empty"),
        (b"", "notes.md", "file is empty"),
        (b"", "paper.pdf", "file is empty"),
        (b" \n\t\r\n  \n", "notes.txt", "file is empty (only whitespace)"),
        (b"\xef\xbb\xbf  \n", "notes.md", "file is empty (only whitespace)"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "picture.txt",
            "binary file, not text (NUL byte at offset 8)",
        ),
        (b"caf\xe9", "menu.txt", "file is not UTF-8 text (invalid byte at offset 3)"),
        (b"\xef\xbb\xbfna\xefve", "menu.md", "file is not UTF-8 text (invalid byte at offset 5)"),
        (b"PK\x03\x04", "paper.docx", "unsupported file type '.docx': use .txt, .md or .pdf"),
        (b"text", "README", "file name has no extension: use .txt, .md or .pdf"),
        (minimal_pdf([[]]), "scan.pdf", "PDF has no extractable text"),
    ],
)
def test_a_file_that_is_not_a_document_is_refused(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(IngestError) as raised:
        parse_document(data, filename)
    assert str(raised.value) == message


def test_a_file_that_is_not_a_pdf_is_refused_as_unreadable() -> None:
    with pytest.raises(IngestError, match=r"^not a readable PDF: "):
        parse_document(b"%PDF-1.4\nthis is not a PDF at all", "paper.pdf")


def test_a_language_that_is_not_a_code_is_refused() -> None:
    with pytest.raises(IngestError, match=r"^unknown language code 'English'"):
        parse_document(b"Some text.", "notes.txt", language="English")


def test_an_ingest_error_is_a_value_error() -> None:
    assert issubclass(IngestError, ValueError)
