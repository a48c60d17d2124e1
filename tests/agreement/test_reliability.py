"""Reliability statistics against published answers and small cases checked by hand."""

import pytest

from sources.reliability import (
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
    reliability,
    span_overlap_f1,
)

_ = None
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the reliability data with
# missing values: 4 observers, 12 units; nominal alpha = 0.743.
KRIPPENDORFF_EXAMPLE = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
]


def test_krippendorff_alpha_matches_the_published_example_with_missing_values():
    assert krippendorff_alpha(KRIPPENDORFF_EXAMPLE) == pytest.approx(0.743, abs=5e-4)


def test_fleiss_kappa_matches_the_worked_example_of_fourteen_raters():
    # Fleiss' kappa worked example: 10 subjects, 14 raters, 5 categories; kappa = 0.210.
    counts = [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ]  # fmt: skip
    # Rebuild a rater-by-subject matrix with those counts (which rater said what does not matter).
    columns = [[c for c, n in enumerate(row) for _ in range(n)] for row in counts]
    matrix = [list(r) for r in zip(*columns, strict=True)]
    assert fleiss_kappa(matrix) == pytest.approx(0.210, abs=5e-4)


def test_cohen_kappa_by_hand_for_two_annotators():
    # 50 units: both yes 20, yes/no 5, no/yes 10, both no 15.
    # p_o = 35/50 = 0.7; p_e = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = (0.7-0.5)/(1-0.5) = 0.4
    first = [1] * 20 + [1] * 5 + [0] * 10 + [0] * 15
    second = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    assert cohen_kappa([first, second]) == pytest.approx(0.4)


def test_small_binary_case_by_hand():
    # Two annotators, four passages: they agree on three.
    # p_o = 0.75; marginals: first 2/4 yes, second 1/4 yes -> p_e = .5*.25 + .5*.75 = 0.5; kappa = 0.5
    matrix = [[1, 1, 0, 0], [1, 0, 0, 0]]
    result = reliability(matrix)
    assert result.items == 4
    assert result.annotators == 2
    assert result.percent_agreement == pytest.approx(0.75)
    assert result.cohen_kappa == pytest.approx(0.5)
    # Fleiss, pooled marginals: p_yes = 3/8, P_e = (3/8)^2 + (5/8)^2 = 34/64;
    # kappa = (.75 - 34/64) / (1 - 34/64)
    assert result.fleiss_kappa == pytest.approx((0.75 - 34 / 64) / (1 - 34 / 64))
    # Krippendorff nominal, 2 coders, 8 values. Coincidences: o_11=2, o_00=4, o_10=o_01=1;
    # n=8, n_1=3, n_0=5; alpha = 1 - (n-1) * (o_10 + o_01) / (2 * n_1 * n_0) = 1 - 7*2/30 = 0.533333
    assert result.krippendorff_alpha == pytest.approx(1 - 7 * 2 / 30, abs=1e-6)


def test_cohen_kappa_is_null_unless_exactly_two_annotators():
    assert cohen_kappa([[1, 0, 1]]) is None
    assert cohen_kappa([[1, 0, 1], [1, 0, 0], [0, 0, 1]]) is None


def test_undefined_statistics_are_null_not_nan():
    total_agreement = [[0, 0, 0], [0, 0, 0]]
    result = reliability(total_agreement)
    assert result.krippendorff_alpha is None
    assert result.cohen_kappa is None
    assert result.fleiss_kappa is None
    assert result.percent_agreement == 1.0


def test_percent_agreement_skips_units_with_one_judgement():
    assert percent_agreement([[1, 1, _], [1, 0, 1]]) == pytest.approx(0.5)


def test_span_overlap_f1_counts_overlapping_spans_on_the_same_passage():
    first = [(1, 0, 10), (1, 20, 30), (2, 0, 5)]
    second = [(1, 5, 12), (2, 6, 9)]
    scores = span_overlap_f1(first, second)
    assert scores["precision"] == pytest.approx(1 / 3)  # only (1, 0, 10) overlaps one of second's
    assert scores["recall"] == pytest.approx(1 / 2)  # only (1, 5, 12) overlaps one of first's
    assert scores["f1"] == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))
    assert span_overlap_f1([], [])["f1"] is None
