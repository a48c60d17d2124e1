"""Turning a document (.txt, .md, .pdf) into a normalized text and ordered passages.

Pure Python, no database: the services store what parse_document returns."""

from .document import ParsedDocument, PassageDraft
from .errors import IngestError
from .pipeline import GivenLayout, given_documents, given_layout, parse_document, verbatim_document

__all__ = [
    "GivenLayout",
    "IngestError",
    "ParsedDocument",
    "PassageDraft",
    "given_documents",
    "given_layout",
    "parse_document",
    "verbatim_document",
]
