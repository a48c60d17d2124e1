"""Every list endpoint runs the same number of queries for 10 items as for 200."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from sources.models import Review, ThemeAnchor

from ..factories import (
    AnnotationFactory,
    ClaimFactory,
    EvidenceFactory,
    MembershipFactory,
    ProjectFactory,
    SessionFactory,
    SourceFactory,
    ThemeFactory,
    UserFactory,
)
from .conftest import World, url

pytestmark = pytest.mark.django_db


def paragraphs(count: int) -> list[str]:
    return [f"Paragraph {n} on terrorism and the SCO." for n in range(count)]


def projects(w: World, count: int) -> None:
    for _ in range(count):
        MembershipFactory(project=ProjectFactory(), user=w.team.owner, role="owner")


def members(w: World, count: int) -> None:
    for _ in range(count):
        MembershipFactory(project=w.team.project, role="annotator")


def sources(w: World, count: int) -> None:
    for _ in range(count):
        SourceFactory(project=w.team.project, paragraphs=paragraphs(2))


def passages(w: World, count: int) -> None:
    source = SourceFactory(project=w.team.project, paragraphs=paragraphs(count))
    for passage in source.passages.all():
        AnnotationFactory(passage=passage, theme=w.terrorism, author=w.team.annotator)


def themes(w: World, count: int) -> None:
    for _ in range(count):
        theme = ThemeFactory(project=w.team.project, parent=w.terrorism)
        ThemeAnchor.objects.create(theme=theme, passage=w.passages[0], start=0, end=5, quote="China")


def annotations(w: World, count: int) -> None:
    source = SourceFactory(project=w.team.project, paragraphs=paragraphs(count))
    for passage in source.passages.all():
        AnnotationFactory(passage=passage, theme=w.energy, author=w.team.annotator, start=0, end=9)


def claims(w: World, count: int) -> None:
    for _ in range(count):
        ClaimFactory(project=w.team.project, author=w.team.annotator, source=w.source)


def evidence(w: World, count: int) -> None:
    source = SourceFactory(project=w.team.project, paragraphs=paragraphs(count))
    for passage in source.passages.all():
        EvidenceFactory(claim=w.claim, passage=passage, author=w.team.annotator)


def reviews(w: World, count: int) -> None:
    for n in range(count):
        Review.objects.create(
            annotation=w.annotation, reviewer=w.team.instructor, decision="comment", comment=f"{n}"
        )


def sessions(w: World, count: int) -> None:
    for _ in range(count):
        session = SessionFactory(project=w.team.project)
        session.sources.set([w.source])
        session.participants.set([w.team.annotator, w.team.annotator2])


def participants(w: World, count: int) -> None:
    for _ in range(count):
        user = UserFactory()
        MembershipFactory(project=w.team.project, user=user, role="annotator")
        w.session.participants.add(user)
        AnnotationFactory(passage=w.passages[0], theme=w.energy, author=user, session=w.session)


@dataclass(frozen=True)
class Endpoint:
    name: str
    grow: Callable[[World, int], None]
    budget: int
    params: dict = field(default_factory=dict)
    kwargs: Callable[[World], dict] = lambda w: {}
    label: str = ""


ENDPOINTS = [
    Endpoint("project-list", projects, 2),
    Endpoint("member-list", members, 3, kwargs=lambda w: {"project_slug": "class"}),
    Endpoint("source-list", sources, 2, {"project": "class"}),
    Endpoint("passage-list", passages, 1),
    Endpoint(
        "passage-list", passages, 1, {"project": "class", "theme": "terrorism", "q": "SCO"}, label="filtered"
    ),
    Endpoint("theme-list", themes, 3, {"project": "class"}),  # the themes, then their anchors
    Endpoint("annotation-list", annotations, 1),
    Endpoint("annotation-list", annotations, 1, {"project": "class", "theme": "energy"}, label="filtered"),
    Endpoint("claim-list", claims, 2),
    Endpoint("evidence-list", evidence, 2, {"relation": "supports"}),
    Endpoint("review-list", reviews, 2, {"project": "class"}),
    Endpoint("session-list", sessions, 4),
    Endpoint("session-progress", participants, 3, kwargs=lambda w: {"pk": w.session.pk}),
]


def queries_for(client, endpoint: Endpoint, world: World, at_most: Callable) -> tuple[int, int]:
    with at_most(endpoint.budget) as captured:
        response = client.get(
            url(endpoint.name, **endpoint.kwargs(world)), {"page_size": 500, **endpoint.params}
        )
    assert response.status_code == 200, response.json()
    body = response.json()
    rows = body["results"] if "results" in body else body["participants"]
    return len(captured), len(rows)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.name}-{e.label}".strip("-"))
def test_a_list_costs_the_same_queries_for_10_items_as_for_200(
    endpoint, world, api_as, django_assert_max_num_queries
):
    client = api_as(world.team.owner)
    endpoint.grow(world, 10)
    small, small_rows = queries_for(client, endpoint, world, django_assert_max_num_queries)
    endpoint.grow(world, 190)
    large, large_rows = queries_for(client, endpoint, world, django_assert_max_num_queries)
    assert large_rows >= 200 > small_rows >= 10
    assert small == large, f"{small} queries for {small_rows} rows, {large} for {large_rows}"
