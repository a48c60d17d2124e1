"""What the ingester produces: a normalized text and the passages that tile it."""

from dataclasses import dataclass

KINDS = ("heading", "paragraph", "list_item", "quote", "footnote", "caption", "table", "reference")


@dataclass(frozen=True)
class Block:
    """One passage before it has a place in the document: its kind and its normalized text."""

    kind: str
    text: str
    attached: int | None = None  # a footnote's: the index of the block it is attached to


@dataclass(frozen=True)
class PassageDraft:
    ordinal: int  # 0-based, document order
    kind: str  # one of KINDS
    section: str  # text of the nearest heading at or before this passage ("" before any heading)
    text: str
    language: str  # ISO 639-1 code
    start: int  # offsets into ParsedDocument.text in code points, end-exclusive
    end: int
    # A footnote's: the ordinal of the passage it is attached to (the one citing it, or where its page ended).
    attached_to: int | None = None


@dataclass(frozen=True)
class ParsedDocument:
    text: str  # the passages' texts joined by a blank line
    passages: list[PassageDraft]
    title: str | None
    language: str  # dominant language of the document, or the one the caller gave
