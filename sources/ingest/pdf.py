"""Text out of a PDF, page by page, as lines for the same pipeline as plain text."""

import io

from pypdf import PdfReader

from .decode import normalize_text
from .errors import IngestError


def pdf_text(data: bytes) -> str:
    if not data:
        raise IngestError("file is empty")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError("PDF is password-protected")
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except Exception as error:
        # pypdf reports a malformed file with many exception types (its own, ValueError, KeyError, ...);
        # all of them mean the same thing to the user.
        raise IngestError(f"not a readable PDF: {error}") from error
    # Each page's text ends with a line break; a blank line between pages would read as a paragraph
    # break, while a page break can fall inside a paragraph.
    text = normalize_text("\n".join(page.rstrip() for page in pages))
    if not text.strip():
        raise IngestError("PDF has no extractable text")
    return text
