"""The suggestions API: what a member is offered, accepting and rejecting, the recommenders' figures."""

import pytest
from django.utils import timezone

from sources.models import Annotation, RecommenderEvaluation, Suggestion, SuggestionRejection

from ..factories import SourceFactory
from .conftest import World, url
from .test_query_counts import Endpoint, queries_for

pytestmark = pytest.mark.django_db


def evaluated(w: World, theme, *, offered: bool, recommender: str = "classifier") -> RecommenderEvaluation:
    return RecommenderEvaluation.objects.create(
        project=w.team.project,
        theme=theme,
        recommender=recommender,
        precision=0.8 if offered else 0.3,
        recall=0.5,
        f1=0.6,
        examples=12,
        offered=offered,
        trained_at=timezone.now(),
    )


def suggest(w: World, passage, theme, score: float = 0.9, **span) -> Suggestion:
    return Suggestion.objects.create(
        project=w.team.project, passage=passage, theme=theme, score=score, recommender="classifier", **span
    )


def test_a_member_is_offered_only_suggestions_of_recommenders_that_beat_the_threshold(world, api_as):
    evaluated(world, world.energy, offered=True)
    evaluated(world, world.terrorism, offered=False)
    shown = suggest(
        world, world.passages[2], world.energy, start=0, end=10, quote=world.passages[2].text[:10]
    )
    suggest(world, world.passages[2], world.terrorism)
    body = api_as(world.team.annotator).get(url("suggestion-list"), {"project": "class"}).json()
    assert body["results"] == [
        {
            "id": shown.pk,
            "passage": world.passages[2].pk,
            "theme": world.energy.pk,
            "theme_slug": "energy",
            "start": 0,
            "end": 10,
            "quote": "Кыргызстан",
            "score": 0.9,
            "recommender": "classifier",
        }
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"theme": "energy"}, {"energy"}),
        ({"theme": "terrorism"}, {"terrorism"}),
        ({"passage": "PASSAGE"}, {"terrorism"}),
        ({"source": "SOURCE"}, {"energy", "terrorism"}),
        ({"project": "elsewhere"}, set()),
    ],
)
def test_the_list_filters_by_project_source_passage_and_theme(world, api_as, params, expected):
    evaluated(world, world.energy, offered=True)
    evaluated(world, world.terrorism, offered=True)
    suggest(world, world.passages[2], world.energy)
    suggest(world, world.passages[3], world.terrorism)
    values = {"PASSAGE": world.passages[3].pk, "SOURCE": world.source.pk}
    query = {key: values.get(value, value) for key, value in params.items()}
    body = api_as(world.team.annotator).get(url("suggestion-list"), query).json()
    assert {row["theme_slug"] for row in body["results"]} == expected


def test_a_bad_filter_is_a_400_naming_it(world, api_as):
    response = api_as(world.team.annotator).get(url("suggestion-list"), {"passage": "three"})
    assert response.status_code == 400
    assert "passage" in response.json()


def test_accepting_answers_the_callers_new_tag_which_remembers_its_origin(world, api_as):
    evaluated(world, world.terrorism, offered=True)
    found = suggest(world, world.passages[2], world.terrorism, score=0.7)
    client = api_as(world.team.annotator)
    response = client.post(url("suggestion-accept", pk=found.pk))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["passage"], body["theme_slug"], body["start"], body["status"]) == (
        world.passages[2].pk,
        "terrorism",
        None,
        "draft",
    )
    assert (body["suggestion"], body["suggested_by"], body["author"]) == (
        found.pk,
        "classifier",
        world.team.annotator.pk,
    )
    assert Annotation.objects.get(pk=body["id"]).suggested_by == "classifier"
    # Tagged now: no longer offered to the annotator, still to the other one.
    assert client.get(url("suggestion-list")).json()["results"] == []
    again = client.post(url("suggestion-accept", pk=found.pk))
    assert again.status_code == 404
    assert len(api_as(world.team.annotator2).get(url("suggestion-list")).json()["results"]) == 1


def test_rejecting_is_remembered_for_the_caller_only(world, api_as):
    evaluated(world, world.terrorism, offered=True)
    found = suggest(world, world.passages[2], world.terrorism)
    client = api_as(world.team.annotator)
    assert client.post(url("suggestion-reject", pk=found.pk)).status_code == 204
    assert client.get(url("suggestion-list")).json()["results"] == []
    assert (
        SuggestionRejection.objects.filter(user=world.team.annotator, passage=world.passages[2]).count() == 1
    )
    assert len(api_as(world.team.annotator2).get(url("suggestion-list")).json()["results"]) == 1


def test_the_recommenders_figures_and_threshold(world, api_as):
    evaluated(world, world.energy, offered=True)
    body = api_as(world.team.annotator).get(url("project-recommenders", slug="class")).json()
    assert body["min_precision"] == 0.6 and body["min_examples"] == 10 and body["trained_at"] is None
    assert body["evaluations"] == [
        {
            "theme": world.energy.pk,
            "theme_slug": "energy",
            "recommender": "classifier",
            "precision": 0.8,
            "recall": 0.5,
            "f1": 0.6,
            "examples": 12,
            "offered": True,
        }
    ]


def test_the_schema_describes_the_suggestion_endpoints(world, api_as):
    schema = (
        api_as(world.team.annotator).get(url("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    )
    for path in (
        "/api/suggestions/",
        "/api/suggestions/{id}/accept/",
        "/api/suggestions/{id}/reject/",
        "/api/projects/{slug}/recommenders/",
    ):
        assert path in schema["paths"], sorted(schema["paths"])


def many_suggestions(w: World, count: int) -> None:
    if not RecommenderEvaluation.objects.filter(theme=w.energy).exists():
        evaluated(w, w.energy, offered=True)
    source = SourceFactory(project=w.team.project, paragraphs=[f"Pipelines, {n}." for n in range(count)])
    Suggestion.objects.bulk_create(
        Suggestion(project=w.team.project, passage=p, theme=w.energy, score=0.8, recommender="classifier")
        for p in source.passages.all()
    )


def test_the_list_costs_the_same_queries_for_10_suggestions_as_for_200(
    world, api_as, django_assert_max_num_queries
):
    endpoint = Endpoint("suggestion-list", many_suggestions, 1, {"project": "class"})
    client = api_as(world.team.annotator)
    many_suggestions(world, 10)
    small, small_rows = queries_for(client, endpoint, world, django_assert_max_num_queries)
    many_suggestions(world, 190)
    large, large_rows = queries_for(client, endpoint, world, django_assert_max_num_queries)
    assert large_rows >= 200 > small_rows >= 10
    assert small == large
