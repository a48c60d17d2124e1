"""Passages a reader should look at before annotating: what ingestion may have got wrong."""

import re
from collections import Counter

from .classify import ends_sentence
from .document import ParsedDocument, PassageDraft

# A word this long is most likely several words run together (`BetweenaRockandaHardPlace`).
LONG_WORD_LETTERS = 25
# A paragraph shorter than this that ends no sentence is likely a fragment of one.
FRAGMENT_CHARS = 40
_LONG_WORD = re.compile(rf"[^\W\d_]{{{LONG_WORD_LETTERS},}}")
_PROSE = ("paragraph", "list_item", "quote", "footnote")
_MIN_REPEATED_CHARS = 4


def suspects(document: ParsedDocument) -> dict[int, list[str]]:
    """For each suspect passage's ordinal, what is suspect about it: `fragment` (a piece of a
    sentence, or a passage starting in the middle of one), `repeated` (the same text as another
    passage: a running head, a repeated label), `long word` (words run together)."""
    counts = Counter(passage.text.casefold() for passage in document.passages)
    found: dict[int, list[str]] = {}
    for passage in document.passages:
        reasons = []
        if _is_fragment(passage):
            reasons.append("fragment")
        if len(passage.text) >= _MIN_REPEATED_CHARS and counts[passage.text.casefold()] > 1:
            reasons.append("repeated")
        if word := _LONG_WORD.search(passage.text):
            reasons.append(f"long word: {word[0]}")
        if reasons:
            found[passage.ordinal] = reasons
    return found


def _is_fragment(passage: PassageDraft) -> bool:
    if passage.kind not in _PROSE:
        return False
    if passage.text[0].islower():
        return True
    return len(passage.text) < FRAGMENT_CHARS and not ends_sentence(passage.text)
