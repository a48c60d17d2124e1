"""The passage classifier: per theme, a logistic regression over TF-IDF of word and character
n-grams, so that Kazakh and Russian work without a language model.

Features are hashed (a fixed number of columns, no vocabulary to grow with the corpus), so memory
is bounded by the batch of passages at hand, not by the size of the project."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression

from .examples import Examples
from .scores import SEED, Scores, folds

MIN_SCORE = 0.5
MIN_EACH = 2  # positives and negatives a theme needs before it is fitted at all

WORDS = HashingVectorizer(
    analyzer="word", ngram_range=(1, 2), n_features=2**18, alternate_sign=False, norm=None, lowercase=True
)
CHARACTERS = HashingVectorizer(
    analyzer="char_wb", ngram_range=(3, 5), n_features=2**19, alternate_sign=False, norm=None, lowercase=True
)


def counts(texts: Iterable[str]) -> csr_matrix:
    texts = list(texts)
    return hstack([WORDS.transform(texts), CHARACTERS.transform(texts)]).tocsr()


class PassageClassifier:
    def __init__(
        self, columns: np.ndarray, weighting: TfidfTransformer, models: dict[int, LogisticRegression]
    ) -> None:
        """`columns`: the hashed features seen in training, the only ones the models weigh."""
        self.columns = columns
        self.weighting = weighting
        self.models = models

    @classmethod
    def fit(
        cls, examples: Examples, among: list[int] | None = None, matrix: csr_matrix | None = None
    ) -> PassageClassifier:
        """A model per theme with enough positive and negative passages among `among` (indices);
        `matrix`: the counts of all the examples' texts, when they were computed already."""
        among = list(range(len(examples.passages))) if among is None else among
        if not among:
            return cls(np.array([], dtype=int), TfidfTransformer(), {})
        seen = counts(examples.texts)[among] if matrix is None else matrix[among]
        columns = np.unique(seen.indices)
        weighting = TfidfTransformer(sublinear_tf=True)
        features = weighting.fit_transform(seen[:, columns])
        models = {}
        for theme, positives in examples.positives.items():
            labels = np.array([i in positives for i in among])
            if labels.sum() >= MIN_EACH and (~labels).sum() >= MIN_EACH:
                models[theme] = _model().fit(features, labels)
        return cls(columns, weighting, models)

    def scores(self, texts: list[str]) -> Iterator[tuple[int, np.ndarray]]:
        """(theme, the probability of the theme for each text)."""
        if self.models and texts:
            yield from self.scores_of(counts(texts))

    def scores_of(self, matrix: csr_matrix) -> Iterator[tuple[int, np.ndarray]]:
        """As `scores`, from the texts' counts."""
        if not self.models or not matrix.shape[0]:
            return
        features = self.weighting.transform(matrix[:, self.columns])
        for theme, model in self.models.items():
            yield theme, model.predict_proba(features)[:, 1]


def _model() -> LogisticRegression:
    return LogisticRegression(C=4.0, solver="liblinear", class_weight="balanced", random_state=SEED)


def evaluate(examples: Examples) -> dict[int, Scores]:
    """Per theme: each labelled passage predicted by the classifier fitted on the other four folds;
    a passage is suggested when its probability reaches MIN_SCORE."""
    fold = folds(len(examples.passages))
    predicted: dict[int, set[int]] = {theme: set() for theme in examples.positives}
    matrix = counts(examples.texts) if examples.texts else None  # each text hashed once, not per fold
    for held_out in sorted(set(fold)):
        test = [i for i, f in enumerate(fold) if f == held_out]
        train = [i for i, f in enumerate(fold) if f != held_out]
        classifier = PassageClassifier.fit(examples, train, matrix)
        for theme, probabilities in classifier.scores_of(matrix[test]):
            predicted[theme].update(i for i, p in zip(test, probabilities, strict=True) if p >= MIN_SCORE)
    results = {}
    for theme, positives in examples.positives.items():
        right = len(predicted[theme] & positives)
        results[theme] = Scores.of(
            true_positives=right,
            false_positives=len(predicted[theme]) - right,
            false_negatives=len(positives) - right,
            examples=len(positives),
        )
    return results
