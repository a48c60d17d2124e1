"""The figures a recommender is judged by, worked out by hand on small cases."""

import pytest

from sources.recommenders import classifier, phrases
from sources.recommenders.examples import Examples, Span
from sources.recommenders.phrases import PhraseMatcher
from sources.recommenders.scores import Scores, folds


def test_precision_recall_and_f1_from_counts():
    scores = Scores.of(true_positives=3, false_positives=1, false_negatives=2, examples=5)
    assert scores.precision == pytest.approx(0.75)  # 3 of 4 suggestions right
    assert scores.recall == pytest.approx(0.6)  # 3 of 5 tags found
    assert scores.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert Scores.of(true_positives=0, false_positives=0, false_negatives=4, examples=4).precision == 0


def test_folds_are_dealt_evenly_and_the_same_every_time():
    fold = folds(10)
    assert sorted(fold.count(f) for f in range(5)) == [2] * 5
    assert fold == folds(10)


def examples(texts: list[str], tagged: dict[int, list[tuple[int, str]]]) -> Examples:
    """`tagged`: theme → (passage index, the phrase tagged there)."""
    found = Examples(passages=list(range(len(texts))), texts=texts)
    for theme, tags in tagged.items():
        for index, phrase in tags:
            start = texts[index].index(phrase)
            found.positives[theme].add(index)
            found.spans[theme].add(Span(index, start, start + len(phrase)))
    return found


def test_the_phrase_matcher_finds_whole_words_in_any_case_cyrillic_included():
    texts = ["Газопровод строят быстро.", "Energy pipelines matter."]
    matcher = PhraseMatcher.fit(examples(texts, {1: [(0, "Газопровод")], 2: [(1, "pipelines")]}))
    text = "Новый ГАЗОПРОВОД и газопроводы; PIPELINES, pipelinesX."
    found = list(matcher.matches(text))
    upper = text.index("PIPELINES")
    assert [(m.theme, m.start, m.end) for m in found] == [(1, 6, 16), (2, upper, upper + 9)]
    assert found[0].score == pytest.approx(2 / 3)  # tagged at its one occurrence: (1 + 1) / (1 + 2)


def test_the_phrase_matchers_cross_validation_counted_by_hand():
    # Six passages tag "pipelines" as energy (theme 7), two mention it untagged, two not at all. Each
    # fold of two is matched by the matcher of the other eight, where "pipelines" scores at least
    # (4 + 1) / (6 + 2) ≥ 0.5: every occurrence is suggested. Right: the 6 tagged, wrong: the 2
    # untagged; no tagged span missed.
    texts = [f"Gas pipelines, case {n}." for n in range(6)] + [
        "Pipelines are mentioned here in passing.",
        "Of pipelines, nothing more.",
        "Terrorism and separatism.",
        "Expansion to India.",
    ]
    tagged = {7: [(n, "pipelines") for n in range(6)], 8: [(8, "Terrorism"), (9, "Expansion")]}
    found = phrases.evaluate(examples(texts, tagged))
    assert found[7] == Scores(precision=0.75, recall=1.0, f1=pytest.approx(6 / 7), examples=6)
    # "Terrorism" and "Expansion" occur once each: learnt without it, nothing is suggested.
    assert found[8] == Scores(precision=0.0, recall=0.0, f1=0.0, examples=2)


def test_the_classifiers_cross_validation_agrees_with_its_own_predictions_counted_by_hand():
    energy = [f"нефть газ трубопровод энергия {n}" for n in range(6)]
    other = [f"терроризм экстремизм учения {n}" for n in range(6)]
    data = examples(
        energy + other, {3: [(n, "нефть") for n in range(6)], 4: [(n, "учения") for n in range(6, 12)]}
    )
    found = classifier.evaluate(data)
    fold = folds(12)
    right = wrong = 0
    for held_out in range(5):
        test = [i for i in range(12) if fold[i] == held_out]
        model = classifier.PassageClassifier.fit(data, [i for i in range(12) if fold[i] != held_out])
        probabilities = dict(model.scores([data.texts[i] for i in test]))[3]
        for i, p in zip(test, probabilities, strict=True):
            if p >= classifier.MIN_SCORE:
                right, wrong = right + (i < 6), wrong + (i >= 6)
    assert found[3] == Scores.of(
        true_positives=right, false_positives=wrong, false_negatives=6 - right, examples=6
    )
    assert found[3].examples == 6


def test_nothing_to_learn_from_gives_no_figures_and_no_suggestions():
    empty = Examples()
    assert classifier.evaluate(empty) == {} and phrases.evaluate(empty) == {}
    assert list(classifier.PassageClassifier.fit(empty).scores(["Any text."])) == []
    assert list(PhraseMatcher.fit(empty).matches("Any text.")) == []
