"""Precision, recall and F1 of a recommender on one theme, and the folds they are measured over."""

from __future__ import annotations

import random
from dataclasses import dataclass

FOLDS = 5
SEED = 16


@dataclass(frozen=True)
class Scores:
    """`examples`: how many training tags of the theme the figures rest on."""

    precision: float
    recall: float
    f1: float
    examples: int

    @classmethod
    def of(cls, *, true_positives: int, false_positives: int, false_negatives: int, examples: int) -> Scores:
        """The figures from counts: a recommender that suggests nothing has precision 0, and a theme
        with nothing to find has recall 0 (nothing was shown to work)."""
        suggested = true_positives + false_positives
        relevant = true_positives + false_negatives
        precision = true_positives / suggested if suggested else 0.0
        recall = true_positives / relevant if relevant else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(precision=precision, recall=recall, f1=f1, examples=examples)


def folds(count: int, k: int = FOLDS, seed: int = SEED) -> list[int]:
    """The fold (0..k-1) of each of `count` items: shuffled with a fixed seed, then dealt in turn,
    so that the figures of one training set are the same on every run."""
    order = list(range(count))
    random.Random(seed).shuffle(order)
    fold = [0] * count
    for position, index in enumerate(order):
        fold[index] = position % k
    return fold
