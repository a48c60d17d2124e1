# The ingester reads Cyrillic text and typographic punctuation, so the patterns name both.
# ruff: noqa: RUF001, RUF003
"""What a piece of text is: heading, list item, quote or paragraph, judged from its wording alone."""

import re

# What may follow the last word of a sentence: closing quotes and brackets, a footnote marker.
_TAIL = re.compile(r"(?:\s*\[\d{1,3}\])+$|[”\N{RIGHT SINGLE QUOTATION MARK}\"»)\]']+$")
# Latin and Cyrillic punctuation, then the Chinese (full-width) forms.
_SENTENCE_END = ".?!:;…。\uff01\uff1f\uff1a\uff1b"
# "1. ", "2) ", "a) ", "а) ", "(iv) ", or a bullet: the start of a list item.
_LIST_MARKER = re.compile(r"^(?:\d{1,2}[.)]|[a-zа-яё][.)]|\([0-9a-z]{1,4}\)|[-\N{EN DASH}—•▪◦*])\s+\S")
# "3. ", "2.1 ", "A. ", "IV. ": how numbered headings start.
_HEADING_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-Z]\.|[IVX]{1,4}\.)\s+\S")
_QUOTE_CLOSERS = {
    "“": "”",
    "«": "»",
    "„": "“",
    '"': '"',
    "\N{LEFT SINGLE QUOTATION MARK}": "\N{RIGHT SINGLE QUOTATION MARK}",
}
_MAX_HEADING_CHARS = 150
_MAX_HEADING_WORDS = 20


def ends_sentence(text: str) -> bool:
    """Whether the text ends a sentence, or a clause that announces what follows (`:`, `;`).

    Looks past closing quotes and brackets and a footnote marker: `Asia.”`, `power).`, `trend.[3]`."""
    stem = text.rstrip()
    while (shorter := _TAIL.sub("", stem)) != stem:
        stem = shorter
    return bool(stem) and stem[-1] in _SENTENCE_END


def is_caps_heading(text: str) -> bool:
    """An all-capitals line such as `1. INTRODUCTION` or a title, as opposed to `ШОС.` ending a sentence."""
    cased = [c for c in text if c.isupper() or c.islower()]
    return len(cased) >= 4 and all(c.isupper() for c in cased) and not ends_sentence(text)


def starts_heading_number(text: str) -> bool:
    return bool(_HEADING_NUMBER.match(text))


def starts_list_marker(text: str) -> bool:
    return bool(_LIST_MARKER.match(text))


def is_heading(text: str) -> bool:
    """A title in capitals, or a short line that starts with a capital and ends without punctuation.

    `2. Preservation of the power of secular regimes.` is a sentence, hence a list item, while
    `B. Chinese foreign policy regarding the SCO` is a heading."""
    if len(text) > _MAX_HEADING_CHARS:
        return False
    if is_caps_heading(text):
        return True
    return (
        len(text.split()) <= _MAX_HEADING_WORDS
        and (text[0].isupper() or text[0].isdigit())
        # Ending on a letter rules out sentences, clauses cut at a comma or dash, and author lines
        # with affiliation numbers (`Amirbek A.A.2`).
        and text[-1].isalpha()
    )


def is_quotation(text: str) -> bool:
    """A passage that opens with a quotation mark and is mostly the quotation (an official's words,
    followed at most by who said them)."""
    closer = _QUOTE_CLOSERS.get(text[0])
    if closer is None:
        return False
    end = text.find(closer, 1)
    quoted = len(text) if end == -1 else end + 1
    return quoted * 2 >= len(text)


def classify(text: str, line_count: int) -> str:
    """The kind of a block of text that spanned `line_count` lines of the source."""
    if is_heading(text) and (line_count == 1 or is_caps_heading(text)):
        return "heading"
    if starts_list_marker(text):
        return "list_item"
    if is_quotation(text):
        return "quote"
    return "paragraph"
