"""Which language each passage is in.

lingua's detector is statistical and works best on a few sentences; on a heading or a line of names it
is unsure, and such passages take the language of the passage before them (the first ones: the
document's). The candidate languages are restricted to those the project's sources are in, which
also keeps Kazakh and Russian apart. A long passage is judged by its first DETECT_CHARS characters:
the detector's time grows with the text and its verdict does not change past a few sentences (on
the PDF corpus, not one passage of 2,203 changed at 300 characters).
"""

from collections import Counter
from collections.abc import Sequence
from functools import cache

from lingua import ConfidenceValue, Language, LanguageDetector, LanguageDetectorBuilder

_CANDIDATES = (
    Language.ENGLISH,
    Language.KAZAKH,
    Language.RUSSIAN,
    Language.UKRAINIAN,
    Language.GERMAN,
    Language.FRENCH,
    Language.CHINESE,
)
# Letters of the Kazakh alphabet that Russian does not have.
_KAZAKH_LETTERS = frozenset("әғқңөұүһӘҒҚҢӨҰҮҺ")
_MIN_LETTERS = 4
_MIN_CONFIDENCE = 0.75
DETECT_CHARS = 300
UNDETERMINED = "und"


@cache
def _detector() -> LanguageDetector:
    # Built on first use: loading the language models takes about a second.
    return LanguageDetectorBuilder.from_languages(*_CANDIDATES).build()


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None when the text is too short to tell."""
    return detect_languages([text])[0]


def detect_languages(texts: Sequence[str]) -> list[str | None]:
    """detect_language of each text, the detector run once over all of them (in parallel)."""
    long_enough = [index for index, text in enumerate(texts) if _has_letters(text)]
    found: list[str | None] = [None] * len(texts)
    if not long_enough:
        return found
    detector = _detector()
    values = (
        [detector.compute_language_confidence_values(_sample(texts[long_enough[0]]))]
        if len(long_enough) == 1
        else detector.compute_language_confidence_values_in_parallel([_sample(texts[i]) for i in long_enough])
    )
    for index, confidences in zip(long_enough, values, strict=True):
        found[index] = _language_of(texts[index], confidences[0])
    return found


def _sample(text: str) -> str:
    """What the detector reads of a text: all of it, or its first DETECT_CHARS characters cut at a space."""
    if len(text) <= DETECT_CHARS:
        return text
    cut = text.rfind(" ", DETECT_CHARS // 2, DETECT_CHARS)
    return text[: cut if cut != -1 else DETECT_CHARS]


def _has_letters(text: str) -> bool:
    """Whether the text has _MIN_LETTERS letters, read only as far as it takes to know."""
    count = 0
    for char in text:
        if char.isalpha():
            count += 1
            if count == _MIN_LETTERS:
                return True
    return False


def _language_of(text: str, best: ConfidenceValue) -> str | None:
    if best.value >= _MIN_CONFIDENCE:
        return best.language.iso_code_639_1.name.lower()
    # Too little text for statistics, but these letters are Kazakh whatever the detector thinks.
    if any(c in _KAZAKH_LETTERS for c in text):
        return "kk"
    return None


def passage_languages(
    texts: Sequence[str], document_language: str | None, detected: Sequence[str | None] | None = None
) -> tuple[list[str], str]:
    """The language of each text and of the whole document, from `detected` when it was detected already.

    Without `document_language`, the document's language is the one most of its text is in."""
    if detected is None:
        detected = detect_languages(texts)
    if document_language is None:
        letters: Counter[str] = Counter()
        for text, language in zip(texts, detected, strict=True):
            if language is not None:
                letters[language] += len(text)
        document_language = letters.most_common(1)[0][0] if letters else UNDETERMINED
    languages: list[str] = []
    for language in detected:
        languages.append(language or (languages[-1] if languages else document_language))
    return languages, document_language
