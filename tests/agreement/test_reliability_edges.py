"""Reliability statistics at their edges: nothing judged in common, no units at all, spans that only
touch, and the six decimals every statistic is reported with."""

from sources.reliability import (
    _finite,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
    reliability,
    span_overlap_f1,
)

_ = None


def test_three_annotators_agree_on_the_share_of_their_three_pairs():
    # Per passage: 3 of 3 pairs agree, 1 of 3, 1 of 3, 3 of 3 -> (1 + 1/3 + 1/3 + 1) / 4 = 2/3.
    assert percent_agreement([[1, 1, 0, 0], [1, 0, 0, 0], [1, 0, 1, 0]]) == 0.666667
    # A passage judged by only two of the three counts its one pair.
    assert percent_agreement([[1, 1], [1, 1], [0, _]]) == 0.666667  # (1/3 + 1) / 2


def test_annotators_who_judged_no_unit_in_common_have_no_statistic():
    apart = [[1, _, 0], [_, 0, _]]
    assert cohen_kappa(apart) is None
    assert fleiss_kappa(apart) is None
    assert percent_agreement(apart) is None


def test_no_annotators_or_no_units_give_counts_of_zero_and_no_statistic():
    nobody = reliability([])
    assert (nobody.items, nobody.annotators) == (0, 0)
    assert nobody.percent_agreement is None and nobody.krippendorff_alpha is None
    empty = reliability([[], []])
    assert (empty.items, empty.annotators) == (0, 2)
    assert empty.as_dict() == {
        "items": 0,
        "annotators": 2,
        "krippendorff_alpha": None,
        "cohen_kappa": None,
        "fleiss_kappa": None,
        "percent_agreement": None,
    }
    assert krippendorff_alpha([[1, 0, 1]]) is None  # one annotator


def test_statistics_are_rounded_to_six_decimals():
    # Three passages, agreement on two: percent agreement 2/3, reported as 0.666667.
    assert percent_agreement([[1, 1, 0], [1, 0, 0]]) == 0.666667
    # p_o = 2/3; p_e = 2/3*1/3 + 1/3*2/3 = 4/9; kappa = (2/3 - 4/9) / (5/9) = 0.4
    assert cohen_kappa([[1, 1, 0], [1, 0, 0]]) == 0.4
    scores = span_overlap_f1([(1, 0, 4), (1, 10, 14), (1, 20, 24)], [(1, 2, 3)])
    assert scores == {"precision": 0.333333, "recall": 1.0, "f1": 0.5, "spans": [3, 1]}
    scores = span_overlap_f1([(1, 0, 4), (1, 10, 14), (1, 20, 24)], [(1, 2, 3), (2, 0, 1), (3, 0, 1)])
    assert scores == {"precision": 0.333333, "recall": 0.333333, "f1": 0.333333, "spans": [3, 3]}


def test_a_statistic_a_library_gives_as_nan_or_infinite_is_reported_as_none():
    assert _finite(float("nan")) is None
    assert _finite(float("inf")) is None and _finite(float("-inf")) is None
    assert _finite(None) is None
    assert _finite(0.1234567) == 0.123457


def test_spans_from_only_one_annotator_score_zero_not_none():
    assert span_overlap_f1([(1, 0, 5)], []) == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "spans": [1, 0]}
    assert span_overlap_f1([], [(1, 0, 5)]) == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "spans": [0, 1]}


def test_spans_that_only_touch_or_sit_on_other_passages_do_not_match():
    touching = span_overlap_f1([(1, 0, 5)], [(1, 5, 9)])
    assert touching == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "spans": [1, 1]}
    assert span_overlap_f1([(1, 5, 9)], [(1, 0, 5)])["f1"] == 0.0
    assert span_overlap_f1([(1, 0, 5)], [(2, 0, 5)])["f1"] == 0.0
    assert span_overlap_f1([(1, 4, 5)], [(1, 0, 5)])["f1"] == 1.0  # one character in common is overlap
    assert span_overlap_f1([], []) == {"precision": None, "recall": None, "f1": None, "spans": [0, 0]}
