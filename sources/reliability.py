"""Inter-annotator reliability on binary judgements, from maintained implementations.

A judgement matrix has one row per annotator and one column per unit (a passage, for one theme);
cells are 1 (tagged), 0 (not tagged) or None (no judgement). Statistics that are undefined for the
data — every judgement the same, fewer than two annotators — come out as None, never NaN.
"""

import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from itertools import combinations

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss_kappa

Matrix = Sequence[Sequence[int | None]]


@dataclass(frozen=True)
class Reliability:
    items: int
    annotators: int
    krippendorff_alpha: float | None
    cohen_kappa: float | None
    fleiss_kappa: float | None
    percent_agreement: float | None

    def as_dict(self) -> dict:
        return asdict(self)


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) or math.isinf(value) else round(float(value), 6)


def krippendorff_alpha(matrix: Matrix, level: str = "nominal") -> float | None:
    data = np.array([[np.nan if v is None else v for v in row] for row in matrix], dtype=float)
    if data.shape[0] < 2 or data.size == 0:
        return None
    try:
        return _finite(krippendorff.alpha(reliability_data=data, level_of_measurement=level))
    except ValueError:  # one value in the whole domain: agreement is total but alpha is undefined
        return None


def cohen_kappa(matrix: Matrix) -> float | None:
    """Cohen's kappa for exactly two annotators, over the units both judged."""
    if len(matrix) != 2:
        return None
    pairs = [(a, b) for a, b in zip(matrix[0], matrix[1], strict=True) if a is not None and b is not None]
    if not pairs:
        return None
    first, second = zip(*pairs, strict=True)
    if len(set(first) | set(second)) < 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return _finite(cohen_kappa_score(first, second))


def fleiss_kappa(matrix: Matrix) -> float | None:
    """Fleiss' kappa over the units every annotator judged (it needs the same number of raters per unit)."""
    if len(matrix) < 2:
        return None
    columns = [col for col in zip(*matrix, strict=True) if all(v is not None for v in col)]
    if not columns:
        return None
    categories = sorted({v for col in columns for v in col})
    if len(categories) < 2:
        return None
    table = [[col.count(c) for c in categories] for col in columns]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return _finite(statsmodels_fleiss_kappa(table))


def percent_agreement(matrix: Matrix) -> float | None:
    """The share of agreeing annotator pairs, averaged over units with at least two judgements."""
    shares = []
    for col in zip(*matrix, strict=True):
        values = [v for v in col if v is not None]
        pairs = list(combinations(values, 2))
        if pairs:
            shares.append(sum(a == b for a, b in pairs) / len(pairs))
    return _finite(sum(shares) / len(shares)) if shares else None


def reliability(matrix: Matrix) -> Reliability:
    return Reliability(
        items=len(matrix[0]) if matrix else 0,
        annotators=len(matrix),
        krippendorff_alpha=krippendorff_alpha(matrix),
        cohen_kappa=cohen_kappa(matrix),
        fleiss_kappa=fleiss_kappa(matrix),
        percent_agreement=percent_agreement(matrix),
    )


Span = tuple[int, int, int]  # (unit, start, end): a theme's span on a passage


def span_overlap_f1(first: Iterable[Span], second: Iterable[Span]) -> dict[str, float | None]:
    """Overlap F1 between two annotators' spans: a span matches when the other has an overlapping
    span on the same unit. Precision counts the first's spans matched, recall the second's."""
    a, b = list(first), list(second)

    def matched(mine: list[Span], theirs: list[Span]) -> int:
        return sum(any(u == v and s < e2 and s2 < e for v, s2, e2 in theirs) for u, s, e in mine)

    if not a and not b:
        return {"precision": None, "recall": None, "f1": None, "spans": [0, 0]}
    precision = matched(a, b) / len(a) if a else 0.0
    recall = matched(b, a) / len(b) if b else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 6),
        "recall": round(recall, 6),
        "f1": round(f1, 6),
        "spans": [len(a), len(b)],
    }
