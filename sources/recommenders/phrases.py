"""The phrase matcher: a phrase the team tagged with a theme, found again elsewhere.

Matches are of whole words (a letter or digit on neither side, so Cyrillic and Kazakh words count
as words), case-insensitive, with any run of white space between the words. A phrase's score for a
theme is how often, in the labelled passages, its occurrences were tagged with that theme —
(hits + 1) / (occurrences + 2), so one lucky tag does not make a sure thing; occurrences in a
passage where the suggestion was rejected count against it."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from .examples import Examples, Span
from .scores import Scores, folds

MIN_LENGTH = 3
MAX_LENGTH = 200
MIN_SCORE = 0.5


def normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Match:
    theme: int
    start: int
    end: int
    score: float


class PhraseMatcher:
    def __init__(self, phrases: dict[str, dict[int, float]]) -> None:
        """`phrases`: normalised phrase → theme → score."""
        self.phrases = phrases
        self.pattern = _pattern(phrases)

    @classmethod
    def fit(cls, examples: Examples, among: set[int] | None = None) -> PhraseMatcher:
        """Learn from the labelled passages `among` (indices; all of them when None)."""
        among = set(range(len(examples.passages))) if among is None else among
        tagged: dict[str, set[int]] = defaultdict(set)
        for theme, spans in examples.spans.items():
            for span in spans:
                if span.passage in among:
                    phrase = normalised(examples.texts[span.passage][span.start : span.end])
                    if MIN_LENGTH <= len(phrase) <= MAX_LENGTH:
                        tagged[phrase].add(theme)
        pattern = _pattern({phrase: {} for phrase in tagged})
        gold = spans_by_passage(examples)
        occurrences: dict[str, int] = defaultdict(int)
        hits: dict[tuple[str, int], int] = defaultdict(int)
        for index in among:
            for start, end, phrase in _found(pattern, examples.texts[index]):
                occurrences[phrase] += 1
                for theme in tagged[phrase]:
                    if any(_overlap(start, end, span) for span in gold[index, theme]):
                        hits[phrase, theme] += 1
        scores = {
            phrase: {theme: (hits[phrase, theme] + 1) / (occurrences[phrase] + 2) for theme in themes}
            for phrase, themes in tagged.items()
        }
        return cls(scores)

    def matches(self, text: str, min_score: float = MIN_SCORE) -> Iterator[Match]:
        for start, end, phrase in _found(self.pattern, text):
            for theme, score in self.phrases[phrase].items():
                if score >= min_score:
                    yield Match(theme, start, end, score)


def spans_by_passage(examples: Examples) -> dict[tuple[int, int], list[Span]]:
    """(passage index, theme) → the spans tagged there with the theme."""
    found: dict[tuple[int, int], list[Span]] = defaultdict(list)
    for theme, spans in examples.spans.items():
        for span in spans:
            found[span.passage, theme].append(span)
    return found


def _pattern(phrases: dict[str, dict[int, float]]) -> re.Pattern | None:
    if not phrases:
        return None
    # Longest first, so that a longer tagged phrase wins over a shorter one inside it.
    words = [r"\s+".join(map(re.escape, phrase.split())) for phrase in sorted(phrases, key=len, reverse=True)]
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE)


def _found(pattern: re.Pattern | None, text: str) -> Iterator[tuple[int, int, str]]:
    if pattern is None:
        return
    for found in pattern.finditer(text):
        yield found.start(), found.end(), normalised(found.group())


def evaluate(examples: Examples) -> dict[int, Scores]:
    """Per theme with tagged spans: the matcher fitted on four folds of the labelled passages,
    matched against the fifth, in turn. A suggestion is right when it overlaps a span tagged with
    its theme; a tagged span is found when a suggestion of its theme overlaps it."""
    fold = folds(len(examples.passages))
    gold = spans_by_passage(examples)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, fp, fn
    for held_out in sorted(set(fold)):
        test = {i for i, f in enumerate(fold) if f == held_out}
        matcher = PhraseMatcher.fit(examples, set(range(len(fold))) - test)
        for index in sorted(test):
            found = list(matcher.matches(examples.texts[index]))
            for theme in examples.spans.keys() | {m.theme for m in found}:
                tagged = gold.get((index, theme), [])
                mine = [m for m in found if m.theme == theme]
                right = sum(any(_overlap(m.start, m.end, s) for s in tagged) for m in mine)
                counts[theme][0] += right
                counts[theme][1] += len(mine) - right
                counts[theme][2] += sum(not any(_overlap(m.start, m.end, s) for m in mine) for s in tagged)
    return {
        theme: Scores.of(
            true_positives=counts[theme][0],
            false_positives=counts[theme][1],
            false_negatives=counts[theme][2],
            examples=len(spans),
        )
        for theme, spans in examples.spans.items()
    }


def _overlap(start: int, end: int, span: Span) -> bool:
    return start < span.end and span.start < end
