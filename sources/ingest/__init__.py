"""Turning a document (.txt, .md, .pdf) into a normalized text and ordered passages.

Pure Python, no database: the services store what parse_document returns."""

from .document import ParsedDocument, PassageDraft
from .errors import IngestError
from .pipeline import parse_document, verbatim_document

__all__ = ["IngestError", "ParsedDocument", "PassageDraft", "parse_document", "verbatim_document"]
