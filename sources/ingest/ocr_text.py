# The docstring and comments quote Cyrillic OCR text.
# ruff: noqa: RUF001, RUF002, RUF003
"""Words an OCR text layer splits with stray spaces (`имя ли ц а`, `М Е Ж Г О С У Д А Р С Т В Е Н Н Ы Й`)
or runs together (`втексте`).

A scan's recognised words are placed one by one, and the gaps between their letters are irregular:
spaces fall inside words, letter-spaced titles come out a letter at a time, and a short word loses
the space after it. The document decides,
as for hyphenation: pieces in a row are one word when the document spells that word whole elsewhere
and one of the pieces is no commoner in the document than the word (`ц` is not, `ли` is), so two
words of their own (`в качестве`) stay apart."""

import re
from collections import Counter
from collections.abc import Iterable

_WORDS = re.compile(r"\w+")
# A piece: letters, the last one of a word perhaps followed by punctuation (`а.`, `лица,`).
_PIECE = re.compile(r"([^\W\d_]+)(\W*)")
# The most pieces one word is put together from (a letter-spaced title's letters).
_MAX_PIECES = 24
# Short Russian and Kazakh words OCR runs into the next one (prepositions, conjunctions; not `на`,
# `не`, which start words of their own: `назначение`, `некоторых`); the word
# they run into is this long at least and used on its own this often in the document, and more often
# than run together.
_RUN_IN_WORDS = frozenset({"в", "с", "к", "у", "о", "и", "а", "или", "если", "және"})
_MAX_RUN_IN = 4
_MIN_REST = 4
_KNOWN = 2


def word_counts(texts: Iterable[str]) -> Counter[str]:
    """How often the document uses each word, lower-cased."""
    return Counter(word.casefold() for text in texts for word in _WORDS.findall(text))


def mend_split_words(text: str, counts: Counter[str]) -> str:
    """The line with the words its stray spaces split put together again, and a short word run into
    the next one parted from it."""
    tokens = [part for token in text.split(" ") for part in _parted(token, counts)]
    mended: list[str] = []
    start = 0
    while start < len(tokens):
        joined = _longest_word(tokens, start, counts)
        if joined is None:
            mended.append(tokens[start])
            start += 1
        else:
            mended.append(joined[0])
            start = joined[1]
    return " ".join(mended)


def _parted(token: str, counts: Counter[str]) -> list[str]:
    """A token that is a short preposition or conjunction run into a word the document uses more often
    than the token (`втексте`, `илитрех`, `Вобласти`): the two words; else the token."""
    match = _PIECE.fullmatch(token)
    if match is None:
        return [token]
    letters = match[1]
    for cut in range(1, min(_MAX_RUN_IN, len(letters) - _MIN_REST) + 1):
        head, rest = letters[:cut], letters[cut:]
        known = counts[rest.casefold()]
        if (
            head.casefold() in _RUN_IN_WORDS
            and rest.islower()
            and known >= _KNOWN
            and counts[letters.casefold()] < known
        ):
            return [head, rest + match[2]]
    return [token]


def _longest_word(tokens: list[str], start: int, counts: Counter[str]) -> tuple[str, int] | None:
    """The word that tokens from `start` on make, and where it ends, when the document backs it."""
    pieces: list[tuple[str, str]] = []
    for token in tokens[start : start + _MAX_PIECES]:
        match = _PIECE.fullmatch(token)
        if match is None:
            break
        pieces.append((match[1], match[2]))
        if match[2]:  # punctuation ends the word
            break
    for end in range(len(pieces), 1, -1):
        letters = [letters for letters, _ in pieces[:end]]
        word = "".join(letters)
        known = counts[word.casefold()]
        # One word is in capitals, or lower case after its first letter (not `Смирнов А`, `кодаЛУ`).
        one_word = word.isupper() or word[1:].islower()
        if one_word and known and min(counts[piece.casefold()] for piece in letters) <= known:
            return word + pieces[end - 1][1], start + end
    return None
