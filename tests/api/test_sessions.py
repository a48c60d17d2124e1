"""/api/sessions/: setting up annotation sessions and following each participant's progress."""

import pytest

from sources.models import Submission

from ..factories import AnnotationFactory, SourceFactory
from .conftest import url

pytestmark = pytest.mark.django_db


def test_an_instructor_opens_a_blind_session_on_a_source(world, api_as):
    body = {
        "project": world.team.project.pk,
        "name": "Blind week",
        "opens_at": "2030-01-01T09:00:00Z",
        "closes_at": "2030-01-08T09:00:00Z",
        "blind": True,
        "sources": [world.source.pk],
        "participants": [world.team.annotator.pk, world.team.annotator2.pk],
    }
    response = api_as(world.team.instructor).post(url("session-list"), body)
    assert response.status_code == 201, response.json()
    assert response.json()["participants"] == sorted([world.team.annotator.pk, world.team.annotator2.pk])
    assert response.json()["created_by"] == world.team.instructor.pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"closes_at": "2000-01-01T00:00:00Z"}, "non_field_errors"),
        ({"participants": ["outsider"]}, "participants"),
        ({"opens_at": "soon"}, "opens_at"),
    ],
)
def test_a_session_that_cannot_be_is_refused_with_a_message(world, api_as, change, field):
    change = {k: [world.team.outsider.pk] if v == ["outsider"] else v for k, v in change.items()}
    response = api_as(world.team.owner).patch(url("session-detail", pk=world.session.pk), change)
    assert response.status_code == 400
    assert field in response.json()


def test_a_source_of_another_project_cannot_join_a_session(world, api_as):
    world.team.other_project.memberships.create(user=world.team.owner, role="owner")
    foreign = SourceFactory(project=world.team.other_project)
    response = api_as(world.team.owner).patch(
        url("session-detail", pk=world.session.pk), {"sources": [foreign.pk]}
    )
    assert response.status_code == 400
    assert "sources" in response.json()


def test_progress_counts_distinct_tagged_passages_per_participant(world, api_as):
    session = world.session
    for passage in world.passages[:2]:
        AnnotationFactory(
            passage=passage, theme=world.terrorism, author=world.team.annotator, session=session
        )
    AnnotationFactory(
        passage=world.passages[0], theme=world.energy, author=world.team.annotator, session=session
    )
    Submission.objects.create(session=session, user=world.team.annotator)

    response = api_as(world.team.observer).get(url("session-progress", pk=session.pk))
    assert response.status_code == 200
    assert response.json() == {
        "session": session.pk,
        "passages_total": 4,
        "participants": [
            {
                "user": world.team.annotator.pk,
                "username": "annotator",
                "passages_tagged": 2,
                "passages_total": 4,
                "submitted": True,
            },
            {
                "user": world.team.annotator2.pk,
                "username": "annotator2",
                "passages_tagged": 0,
                "passages_total": 4,
                "submitted": False,
            },
        ],
    }


def test_sessions_filter_by_project(world, api_as):
    client = api_as(world.team.annotator)
    assert [row["id"] for row in client.get(url("session-list"), {"project": "class"}).json()["results"]] == [
        world.session.pk
    ]
    assert client.get(url("session-list"), {"project": "elsewhere"}).json()["count"] == 0
