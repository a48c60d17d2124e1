"""Comparing two groups of sources: shares with Wilson intervals, a test per theme, Holm's
adjustment, and a sentence in plain words where a difference is significant."""

import pytest
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from sources.selectors.analysis.comparison import comparison, holm
from sources.selectors.analysis.filters import Filters, InvalidFilter, analysis_scope

from ..factories import AnnotationFactory, SourceFactory
from .conftest import Corpus

pytestmark = pytest.mark.django_db


def scope(corpus: Corpus):
    return analysis_scope(corpus.team.owner, corpus.team.project, Filters(status="approved"))


def test_shares_intervals_and_groups_by_author_and_language(corpus: Corpus) -> None:
    by_author = comparison(scope(corpus), {"by": "author", "a": "Li W.", "b": "Nurlan A."}).as_dict()
    assert [g["passages"] for g in by_author["groups"]] == [4, 3]
    energy = next(row for row in by_author["themes"] if row["theme"] == "energy")
    assert (energy["count_a"], energy["share_a"], energy["count_b"]) == (2, 0.5, 1)
    low, high = proportion_confint(2, 4, method="wilson")
    assert energy["ci_a"] == [round(low, 4), round(high, 4)]
    assert energy["test"] == "Fisher's exact test" and not energy["significant"] and energy["note"] == ""
    by_language = comparison(scope(corpus), {"by": "language", "a": "zh", "b": "kk"}).as_dict()
    assert by_language["themes"] == by_author["themes"]


def test_a_large_difference_is_significant_and_said_in_plain_words(corpus: Corpus) -> None:
    team = corpus.team
    energetic = SourceFactory(
        project=team.project, title="Pipelines", language="ru", paragraphs=["Oil."] * 60
    )
    quiet = SourceFactory(project=team.project, title="Trade", language="uz", paragraphs=["Trade."] * 60)
    for passage in energetic.passages.all()[:45]:
        AnnotationFactory(passage=passage, theme=corpus.energy, author=team.annotator, status="approved")
    for passage in quiet.passages.all()[:5]:
        AnnotationFactory(passage=passage, theme=corpus.energy, author=team.annotator, status="approved")
    result = comparison(scope(corpus), {"a": str(energetic.pk), "b": str(quiet.pk)}).as_dict()
    energy = next(row for row in result["themes"] if row["theme"] == "energy")
    assert energy["test"] == "chi-square test" and energy["significant"]
    assert energy["note"].startswith("Energy: 75% of the passages of Pipelines against 8% of Trade's.")
    assert "after adjusting for 1 theme compared" in energy["note"]


def test_holm_matches_statsmodels() -> None:
    p_values = [0.01, 0.04, 0.03, 0.5, 0.002, 0.2]
    assert holm(p_values) == pytest.approx(list(multipletests(p_values, method="holm")[1]))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"by": "colour", "a": "x", "b": "y"}, "by"),
        ({"by": "author", "a": "Nobody", "b": "Li W."}, "a"),
        ({"by": "source", "a": "1"}, "b"),
    ],
)
def test_groups_without_sources_are_named(corpus: Corpus, query: dict, field: str) -> None:
    with pytest.raises(InvalidFilter) as refused:
        comparison(scope(corpus), query)
    assert field in refused.value.errors


def test_one_source_in_both_groups_is_refused(corpus: Corpus) -> None:
    both = f"{corpus.chinese.pk},{corpus.kazakh.pk}"
    with pytest.raises(InvalidFilter) as refused:
        comparison(scope(corpus), {"a": both, "b": str(corpus.kazakh.pk)})
    assert refused.value.errors == {"b": "A source cannot be in both groups."}
