"""/api/passages/: read-only, filtered by annotations the caller may see, searched by words."""

import pytest
from django.db import connection

from sources.models import Passage, Submission
from sources.selectors.sources import passages_matching

from ..factories import AnnotationFactory, SessionFactory, SourceFactory
from .conftest import World, url

pytestmark = pytest.mark.django_db


def listed(client, **params) -> list[int]:
    response = client.get(url("passage-list"), params)
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def ids(world: World, *ordinals: int) -> list[int]:
    return [world.passages[i].pk for i in ordinals]


def test_passages_list_in_document_order_with_their_offsets(world, api_as):
    response = api_as(world.team.observer).get(url("passage-list"), {"source": world.source.pk})
    rows = response.json()["results"]
    assert [row["ordinal"] for row in rows] == [0, 1, 2, 3]
    for row in rows:
        assert world.source.text[row["start"] : row["end"]] == row["text"]


def test_an_outsider_lists_only_their_own_projects_passages(world, api_as):
    assert listed(api_as(world.team.outsider)) == [world.other_passage.pk]
    assert listed(api_as(world.team.outsider), project="class") == []


@pytest.mark.parametrize(
    ("params", "ordinals"),
    [
        ({"project": "class"}, [0, 1, 2, 3]),
        ({"theme": "terrorism"}, [0]),
        ({"theme": "energy"}, [1]),
        ({"theme": "unused"}, []),
        ({"status": "draft"}, [0, 1]),
        ({"status": "approved"}, []),
    ],
)
def test_passages_filter_by_project_theme_and_status(world, api_as, params, ordinals):
    assert listed(api_as(world.team.annotator), **params) == ids(world, *ordinals)


def test_theme_and_author_describe_the_same_annotation(world, api_as):
    client = api_as(world.team.observer)
    assert listed(client, theme="terrorism", author=world.team.annotator2.pk) == ids(world, 0)
    assert listed(client, theme="terrorism", author=world.team.annotator.pk) == []
    assert listed(client, author=world.team.annotator.pk) == ids(world, 1)


def test_the_theme_filter_counts_only_annotations_the_caller_may_see(world, api_as):
    blind = SessionFactory(project=world.team.project, blind=True)
    blind.sources.set([world.source])
    blind.participants.set([world.team.annotator, world.team.annotator2])
    AnnotationFactory(
        passage=world.passages[3], theme=world.terrorism, author=world.team.annotator2, session=blind
    )
    annotator = api_as(world.team.annotator)
    assert listed(annotator, theme="terrorism") == ids(world, 0)
    assert listed(annotator, session=blind.pk) == ids(world, 0, 1, 2, 3)  # the session's sources
    assert listed(annotator, session=blind.pk, theme="terrorism") == []

    Submission.objects.create(session=blind, user=world.team.annotator)
    assert listed(annotator, theme="terrorism") == ids(world, 0)  # the colleague has not submitted
    Submission.objects.create(session=blind, user=world.team.annotator2)
    assert listed(annotator, theme="terrorism") == ids(world, 0, 3)
    assert listed(annotator, session=blind.pk, theme="terrorism") == ids(world, 3)


def test_the_session_filter_keeps_the_sessions_sources(world, api_as):
    extra = SourceFactory(project=world.team.project, paragraphs=["Outside the session."])
    client = api_as(world.team.owner)
    assert listed(client, session=world.session.pk) == ids(world, 0, 1, 2, 3)
    assert extra.passages.get().pk in listed(client)


@pytest.mark.parametrize(
    ("q", "ordinals"),
    [
        ("terrorism", [0]),
        ("TERRORISM extremism", [0]),
        ("China", [0, 1]),
        ("china pipelines", [1]),
        ("терроризма", [2]),
        ("ШОС Казахстан", [2]),
        ("шос", [2]),
        ("terror", []),  # whole words, as PostgreSQL's `simple` configuration has it
        ("SCO, India", [3]),
        ("!!!", []),
    ],
)
def test_q_finds_passages_containing_every_word(world, api_as, q, ordinals):
    assert listed(api_as(world.team.annotator), q=q) == ids(world, *ordinals)


def test_q_combines_with_the_other_filters(world, api_as):
    assert listed(api_as(world.team.annotator), q="China", theme="energy") == ids(world, 1)


def test_a_null_character_in_q_is_a_400(world, api_as):
    response = api_as(world.team.annotator).get(url("passage-list"), {"q": "SCO\x00"})
    assert response.status_code == 400
    assert "q" in response.json()


def test_passages_page_by_cursor_and_page_size_is_capped_at_500(world, api_as):
    SourceFactory(project=world.team.project, paragraphs=[f"Paragraph {n}." for n in range(600)])
    client = api_as(world.team.owner)
    first = client.get(url("passage-list"), {"page_size": 1000}).json()
    assert len(first["results"]) == 500
    assert "count" not in first
    rest = client.get(first["next"]).json()
    assert len(rest["results"]) == 104 and rest["next"] is None
    back = client.get(rest["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in first["results"]]


def test_default_page_is_fifty(world, api_as):
    SourceFactory(project=world.team.project, paragraphs=[f"Paragraph {n}." for n in range(60)])
    assert len(listed(api_as(world.team.owner))) == 50


def test_a_cursor_this_list_did_not_give_out_is_a_404(world, api_as):
    response = api_as(world.team.owner).get(url("passage-list"), {"cursor": "bz0tMQ=="})
    assert response.status_code == 404


@pytest.mark.postgres
def test_search_on_postgresql_reads_the_gin_index(world):
    if connection.vendor != "postgresql":
        pytest.skip("the GIN index exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a four-row table would be scanned otherwise
        plan = passages_matching(Passage.objects.all(), "terrorism").explain()
    assert "passage_text_search" in plan
