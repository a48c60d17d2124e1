# The ingester reads Cyrillic text and typographic punctuation, so the patterns name both.
"""Whether a hyphen at a line's end breaks a word (`chal-` + `lenge`) or belongs to it (`cross-border`).

The document decides: a word it spells whole elsewhere is joined, one it spells with a hyphen keeps
it. Inflected forms count (`представленную` is backed by `представленный`), which matters in
Russian and Kazakh. Failing that, the hyphen is kept after a part of a longer compound
(`integrate-and-` + `fire`), between two words of the document (`pulse-` + `sizes`), before a capital
or digit, or after a usual first element of a compound (`cross-`); any other break is hyphenation."""

import itertools
import re
from collections.abc import Iterable

from .pdf import SOFT_HYPHEN

_WORD = re.compile(r"\w+(?:-\w+)*")
# The end of a line broken inside a word: its last word part, then the hyphen (also ` -` in Word output).
_HYPHENS = "-\N{HYPHEN}\N{SOFT HYPHEN}"
_BROKEN_END = re.compile(rf"(\w+) ?[{_HYPHENS}]$")
# How much of a line's end to look at for the broken word: searching a whole passage is quadratic.
_TAIL_CHARS = 80
_FIRST_WORD = re.compile(r"^\w+")
# First elements that are written with a hyphen rather than run together.
_COMPOUND_FIRSTS = frozenset(
    {
        "all",
        "anti",
        "co",
        "cross",
        "ex",
        "full",
        "half",
        "high",
        "inter",
        "large",
        "long",
        "low",
        "multi",
        "non",
        "post",
        "pre",
        "quasi",
        "self",
        "semi",
        "short",
        "small",
        "so",
        "well",
        "военно",
        "научно",
        "социально",
        "политико",
        "торгово",
        "финансово",
        "экономико",
    }
)
# Shared beginnings this much shorter than the joined word still back it (an inflected form).
_INFLECTION = 3
_MIN_STEM = 5
# Both parts at least this long and words of the document on their own: a compound.
_MIN_PART = 4


class Vocabulary:
    """The words of a document, lower-cased, whole and hyphenated, to decide its line-end hyphens by."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.words: set[str] = set()
        for line in lines:
            # The first part of a word broken at the line's end is no word of the document.
            broken = _broken_end(line)
            text = line[: len(line) - len(broken[0])] if broken else line
            for word in _WORD.findall(text.casefold()):
                parts = word.split("-")
                self.words.add(word)
                self.words.update(parts)
                # `and-fire` of `integrate-and-fire`, for a compound broken after its second part
                self.words.update(f"{a}-{b}" for a, b in itertools.pairwise(parts))
        self.stems = {word[:length] for word in self.words for length in range(_MIN_STEM, len(word) + 1)}

    def knows(self, word: str) -> bool:
        return word in self.words

    def knows_inflected(self, word: str) -> bool:
        stem = word[: max(_MIN_STEM, len(word) - _INFLECTION)]
        return len(word) >= _MIN_STEM and stem in self.stems


def join_broken_lines(lines: list[str], vocabulary: Vocabulary) -> str:
    """One passage's text from its lines, each hyphen at a line's end kept or dropped as the document says."""
    joined = ""
    for line in lines:
        if not joined:
            joined = line
            continue
        broken = _broken_end(joined)
        following = _FIRST_WORD.match(line)
        if broken is None or following is None:
            joined = joined.removesuffix(SOFT_HYPHEN) + " " + line
            continue
        before = joined[: len(joined) - len(broken[0])]
        # The broken word is the last part of a hyphenated compound (`integrate-and-` + `fire`).
        compound = before.endswith("-")
        joined = (
            before
            + broken[1]
            + ("" if not compound and breaks_word(broken[1], following[0], vocabulary) else "-")
            + line
        )
    if joined.endswith(SOFT_HYPHEN):  # the word goes on in a passage of its own (a figure between)
        joined = joined.removesuffix(SOFT_HYPHEN) + "-"
    return " ".join(joined.split())


def breaks_word(first: str, second: str, vocabulary: Vocabulary) -> bool:
    """Whether `first-` at a line's end and `second` at the next line's start are one word."""
    whole, hyphenated = (first + second).casefold(), f"{first}-{second}".casefold()
    if vocabulary.knows(whole):
        return True
    if vocabulary.knows(hyphenated):
        return False
    if vocabulary.knows_inflected(whole):
        return True
    if vocabulary.knows_inflected(hyphenated):
        return False
    if min(len(first), len(second)) >= _MIN_PART and vocabulary.knows(first.casefold()):
        return False  # two words of the document: `pulse-` + `sizes`
    return second[0].islower() and first.casefold() not in _COMPOUND_FIRSTS


def _broken_end(text: str) -> re.Match[str] | None:
    """The last word part and hyphen of a line that ends inside a word."""
    return _BROKEN_END.search(text[-_TAIL_CHARS:]) if text[-1:] in _HYPHENS else None
