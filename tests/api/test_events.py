"""The event stream, `GET /api/projects/{slug}/events/`: what a member receives, resuming from
`Last-Event-ID`, and what a blind session keeps from them (docs/collaboration.md, "Live updates")."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sources.models import Annotation, Event
from sources.services.annotations import annotation_create, annotation_delete, annotation_update
from sources.services.sessions import session_submit

from ..factories import SessionFactory
from .conftest import World


def events_of(body: bytes) -> list[dict]:
    """The events of an SSE body: each with its `id`, its kind as `event` and the parsed `data`."""
    found = []
    for block in body.decode().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if line and not line.startswith(":"))
        if "data" in fields:
            data = json.loads(fields["data"])
            found.append({"id": int(fields["id"]), "event": data["kind"], "data": data})
    return found


def stream(user, slug: str = "class", last_event_id: int | None = 0, **headers: str) -> tuple[int, bytes]:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    response = client.get(
        reverse("api:project-events", kwargs={"slug": slug}),
        headers={"Accept": "text/event-stream", **headers},
    )
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def tag(w: World, author, **extra) -> Annotation:
    return annotation_create(passage=w.passages[2], theme=w.energy, author=author, start=0, end=4, **extra)


def test_a_colleagues_tag_its_change_and_its_deletion_reach_a_member(world: World):
    start = Event.objects.order_by("-id").values_list("id", flat=True).first()
    annotation = tag(world, world.team.annotator)
    annotation_update(annotation=annotation, note="Energy, not security.")
    annotation_delete(annotation=annotation)
    status, body = stream(world.team.annotator2, last_event_id=start)
    assert status == 200
    received = events_of(body)
    assert [e["event"] for e in received] == [
        "annotation.created",
        "annotation.updated",
        "annotation.deleted",
    ]
    first = received[0]["data"]
    assert first["object"] == annotation.pk and first["kind"] == "annotation.created"
    assert first["passage"] == world.passages[2].pk and first["source"] == world.source.pk
    assert first["ordinal"] == world.passages[2].ordinal


def test_a_review_decision_is_an_event_naming_the_tag(world: World, api_as):
    start = Event.objects.latest("id").pk
    api_as(world.team.instructor).post(
        "/api/reviews/", {"annotation": world.annotation.pk, "decision": "reject", "comment": "No."}
    )
    received = events_of(stream(world.team.annotator2, last_event_id=start)[1])
    # its status too, and the author (the stream's reader) is told of the rejection
    assert {e["event"] for e in received} == {"annotation.updated", "review.created", "notification.created"}
    (review,) = [e for e in received if e["event"] == "review.created"]
    assert review["event"] == "review.created"
    assert review["data"]["annotation"] == world.annotation.pk and review["data"]["decision"] == "reject"
    assert review["data"]["actor"] == world.team.instructor.pk


def test_a_stream_resumes_after_last_event_id_without_losing_or_repeating_one(world: World):
    first, second, third = (
        annotation_create(
            passage=world.passages[2], theme=world.energy, author=world.team.annotator, start=i, end=i + 1
        )
        for i in range(3)
    )
    ids = [e["id"] for e in events_of(stream(world.team.observer, last_event_id=0)[1])]
    after_first = Event.objects.get(kind="annotation.created", object_id=first.pk).pk
    resumed = events_of(stream(world.team.observer, last_event_id=after_first)[1])
    assert [e["data"]["object"] for e in resumed] == [second.pk, third.pk]
    assert [e["id"] for e in resumed] == [i for i in ids if i > after_first]
    client = APIClient()
    client.force_authenticate(world.team.observer)
    response = client.get(
        reverse("api:project-events", kwargs={"slug": "class"}), {"last_event_id": after_first}
    )
    by_query = events_of(b"".join(response.streaming_content))
    assert [e["data"]["object"] for e in by_query] == [second.pk, third.pk]


def test_without_last_event_id_the_stream_starts_now_and_says_where(world: World):
    tag(world, world.team.annotator)
    status, body = stream(world.team.annotator2, last_event_id=None)
    assert status == 200 and events_of(body) == []
    assert f"id: {Event.objects.latest('id').pk}\n" in body.decode()  # where a reconnect resumes


def test_other_projects_events_are_not_sent(world: World):
    start = Event.objects.latest("id").pk
    tag(world, world.team.annotator)
    assert events_of(stream(world.team.outsider, slug="elsewhere", last_event_id=start)[1]) == []


@pytest.mark.parametrize(
    ("user", "slug", "header", "status"),
    [
        ("outsider", "class", "0", 404),
        (None, "class", "0", 401),
        ("annotator", "class", "-1", 400),
        ("annotator", "class", "soon", 400),
        ("annotator", "class", "9" * 19, 400),
    ],
)
def test_refusals_name_the_problem(world: World, user, slug, header, status):
    code, body = stream(user and world.team.user(user), slug, last_event_id=None, **{"Last-Event-ID": header})
    assert code == status
    if status == 400:
        assert b"last_event_id" in body


def test_a_blind_sessions_tag_reaches_a_colleague_only_once_both_submitted(world: World):
    session = SessionFactory(project=world.team.project, name="Blind week", blind=True)
    session.sources.set([world.source])
    session.participants.set([world.team.annotator, world.team.annotator2])
    start = Event.objects.latest("id").pk
    secret = tag(world, world.team.annotator, session=session)
    open_tag = annotation_create(passage=world.passages[3], theme=world.energy, author=world.team.annotator)

    def received(user) -> set[int]:
        return {e["data"]["object"] for e in events_of(stream(user, last_event_id=start)[1])}

    assert received(world.team.annotator2) == {open_tag.pk}
    assert received(world.team.annotator) == {secret.pk, open_tag.pk}  # one's own work
    assert received(world.team.instructor) == {secret.pk, open_tag.pk}
    assert received(world.team.observer) == {secret.pk, open_tag.pk}
    session_submit(session=session, user=world.team.annotator2)
    assert received(world.team.annotator2) == {open_tag.pk}
    session_submit(session=session, user=world.team.annotator)
    assert received(world.team.annotator2) == {secret.pk, open_tag.pk}
