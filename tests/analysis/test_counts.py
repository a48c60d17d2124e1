"""The theme-by-source matrix, co-occurrence and the passages behind a cell, counted as a reader of
the corpus would count them by hand (tests/analysis/conftest.py)."""

import pytest

from sources.selectors.analysis.counts import cell_passages, cooccurrence, theme_matrix
from sources.selectors.analysis.filters import Filters, InvalidFilter, analysis_scope, read_filters

from .conftest import Corpus

pytestmark = pytest.mark.django_db


def scope(corpus: Corpus, user=None, **filters):
    return analysis_scope(user or corpus.team.owner, corpus.team.project, Filters(**filters))


def test_the_matrix_counts_passages_once_and_sub_themes_under_their_parent(corpus: Corpus) -> None:
    matrix = theme_matrix(scope(corpus))
    assert matrix.themes == ["security", "terrorism", "energy", "expansion"]
    assert matrix.rows == [corpus.chinese.pk, corpus.kazakh.pk]
    assert matrix.row_labels == ["Chinese view", "Kazakh view"]
    assert matrix.passages == [4, 3]
    assert matrix.counts == [[2, 1, 2, 0], [1, 1, 1, 0]]
    assert matrix.shares[0] == [0.5, 0.25, 0.5, 0.0]


def test_without_a_status_the_matrix_falls_back_to_submitted_work_when_nothing_is_approved(
    corpus: Corpus,
) -> None:
    assert scope(corpus).status == "approved"
    corpus.team.project.sources.first().passages.first().annotations.update(status="submitted")
    for passage in corpus.cn + corpus.kz:
        passage.annotations.filter(status="approved").update(status="submitted")
    fallback = scope(corpus)
    assert fallback.status == "submitted"
    assert theme_matrix(fallback).counts == [[2, 1, 2, 1], [1, 1, 1, 0]]


def test_status_all_session_annotator_source_and_theme_filters_narrow_the_counts(corpus: Corpus) -> None:
    assert theme_matrix(scope(corpus, status="all")).counts == [[2, 1, 2, 1], [1, 1, 1, 1]]
    only_a = theme_matrix(scope(corpus, annotator=corpus.team.annotator.pk))
    assert only_a.counts == [[2, 1, 1, 0], [0, 0, 1, 0]]
    kazakh = theme_matrix(scope(corpus, source=corpus.kazakh.pk))
    assert kazakh.rows == [corpus.kazakh.pk] and kazakh.counts == [[1, 1, 1, 0]]
    security = theme_matrix(scope(corpus, theme="security"))
    assert security.themes == ["security", "terrorism"] and security.counts == [[2, 1], [1, 1]]


def test_the_matrix_by_section_has_a_row_per_section_of_each_source(corpus: Corpus) -> None:
    corpus.chinese.passages.filter(ordinal__lt=2).update(section="Security")
    corpus.chinese.passages.filter(ordinal__gte=2).update(section="Energy")
    matrix = theme_matrix(scope(corpus), by="section")
    assert matrix.rows[:2] == [[corpus.chinese.pk, "Energy"], [corpus.chinese.pk, "Security"]]
    assert matrix.row_labels[0] == "Chinese view / Energy"
    assert matrix.passages == [2, 2, 3]
    assert matrix.counts == [[1, 0, 1, 0], [1, 1, 1, 0], [1, 1, 1, 0]]


def test_cooccurrence_counts_passages_tagged_with_both_and_their_jaccard_index(corpus: Corpus) -> None:
    found = cooccurrence(scope(corpus))
    assert found.counts == [[3, 2, 1, 0], [2, 2, 0, 0], [1, 0, 3, 0], [0, 0, 0, 0]]
    assert found.jaccard[0][1] == round(2 / 3, 4)
    assert found.jaccard[0][2] == 0.2
    assert found.jaccard[3][3] is None and found.jaccard[3][0] == 0.0


def test_the_passages_behind_a_cell_are_those_with_both_themes(corpus: Corpus) -> None:
    behind = cell_passages(scope(corpus), ["security", "energy"])
    assert [p.pk for p in behind.passages] == [corpus.cn[2].pk] and behind.total == 1
    in_kazakh = cell_passages(scope(corpus), ["security"], source=corpus.kazakh.pk)
    assert [p.pk for p in in_kazakh.passages] == [corpus.kz[2].pk]
    with pytest.raises(InvalidFilter) as refused:
        cell_passages(scope(corpus), ["nonsense"])
    assert "nonsense" in refused.value.errors["cell"]


@pytest.mark.parametrize(
    ("query", "field"),
    [({"status": "bogus"}, "status"), ({"session": "x1"}, "session"), ({"source": "-3"}, "source")],
)
def test_malformed_filters_are_named(query: dict, field: str) -> None:
    with pytest.raises(InvalidFilter) as refused:
        read_filters(query)
    assert set(refused.value.errors) == {field}


def test_ids_and_slugs_of_nothing_in_the_project_are_named(corpus: Corpus) -> None:
    with pytest.raises(InvalidFilter) as refused:
        scope(corpus, session=999999, source=999999, annotator=999999, theme="nope")
    assert set(refused.value.errors) == {"session", "source", "annotator", "theme"}
