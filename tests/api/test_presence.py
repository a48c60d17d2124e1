"""Presence, `/api/projects/{slug}/presence/{source}/`: who else is reading a source and at which
passage, kept for a while after each heartbeat, told to the others as `presence` events when
someone arrives, moves or leaves (docs/collaboration.md, "Presence")."""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from sources.models import Event

from ..factories import SessionFactory, SourceFactory
from .conftest import World
from .test_events import events_of, stream


@pytest.fixture(autouse=True)
def nobody_reading():
    cache.clear()


def at(source: int, slug: str = "class") -> str:
    return reverse("api:project-presence", kwargs={"slug": slug, "source": source})


def beat(api_as, user, source: int, passage: int | None):
    return api_as(user).post(at(source), {"passage": passage}, format="json")


def readers(api_as, user, source: int) -> list[dict]:
    answer = api_as(user).get(at(source))
    assert answer.status_code == 200
    return answer.json()["present"]


def presence_events(after: int) -> list[dict]:
    return list(Event.objects.filter(id__gt=after, kind="presence").values("object_id", "data"))


def test_a_reader_sees_who_else_reads_the_source_and_where(world: World, api_as):
    first, third = world.passages[0], world.passages[2]
    assert beat(api_as, world.team.annotator2, world.source.pk, third.pk).json()["present"] == []
    answer = beat(api_as, world.team.annotator, world.source.pk, first.pk)
    assert answer.status_code == 200
    body = answer.json()
    assert body["seconds"] > 0
    assert body["present"] == [
        {"user": world.team.annotator2.pk, "name": "annotator2", "initials": "AN", "passage": third.pk,
         "ordinal": third.ordinal}
    ]  # fmt: skip
    seen = readers(api_as, world.team.observer, world.source.pk)
    assert [(p["name"], p["ordinal"]) for p in seen] == [("annotator", 0), ("annotator2", 2)]


def test_only_arriving_moving_and_leaving_are_events_not_every_heartbeat(world: World, api_as):
    start = Event.objects.latest("id").pk
    source, passages = world.source.pk, world.passages
    for passage in (passages[0], passages[0], passages[0], passages[1]):
        assert beat(api_as, world.team.annotator, source, passage.pk).status_code == 200
    assert api_as(world.team.annotator).delete(at(source)).status_code == 204
    assert api_as(world.team.annotator).delete(at(source)).status_code == 204  # gone already: no event
    events = presence_events(start)
    assert [(e["data"]["present"], e["data"]["ordinal"]) for e in events] == [
        (True, 0),
        (True, 1),
        (False, None),
    ]
    assert {e["object_id"] for e in events} == {world.team.annotator.pk}
    assert readers(api_as, world.team.annotator2, source) == []


def test_a_place_is_forgotten_without_a_heartbeat(world: World, api_as, monkeypatch, settings):
    beat(api_as, world.team.annotator, world.source.pk, world.passages[0].pk)
    assert len(readers(api_as, world.team.annotator2, world.source.pk)) == 1
    later = time.time() + settings.PRESENCE_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert readers(api_as, world.team.annotator2, world.source.pk) == []


def test_each_source_has_its_own_readers(world: World, api_as):
    other = SourceFactory(project=world.team.project, paragraphs=["Another text."])
    beat(api_as, world.team.annotator, other.pk, None)
    assert readers(api_as, world.team.annotator2, world.source.pk) == []
    (place,) = readers(api_as, world.team.annotator2, other.pk)
    assert place["passage"] is None and place["ordinal"] is None


@pytest.mark.parametrize(
    ("where", "body", "status", "field"),
    [
        (lambda w: at(w.source.pk), lambda w: {"passage": w.other_passage.pk}, 400, "passage"),
        (lambda w: at(w.source.pk), lambda w: {"passage": "soon"}, 400, "passage"),
        (lambda w: at(w.source.pk), lambda w: {"passage": 0}, 400, "passage"),
        (lambda w: at(w.source.pk), lambda w: {"passage": 2**70}, 400, "passage"),
        (lambda w: at(w.source.pk), lambda w: [w.passages[0].pk], 400, "non_field_errors"),
        (lambda w: at(w.other_passage.source_id), lambda w: {}, 404, "detail"),  # another team's source
        (lambda w: at(w.other_passage.source_id, "elsewhere"), lambda w: {}, 404, "detail"),
        (lambda w: at(2**62), lambda w: {}, 404, "detail"),
    ],
)
def test_refusals_name_the_problem_and_change_nothing(world: World, api_as, where, body, status, field):
    start = Event.objects.latest("id").pk
    answer = api_as(world.team.annotator).post(where(world), body(world), format="json")
    assert answer.status_code == status and field in answer.json()
    assert presence_events(start) == []
    assert readers(api_as, world.team.annotator2, world.source.pk) == []


def test_a_blind_session_shows_where_colleagues_read_and_nothing_of_their_work(world: World, api_as):
    session = SessionFactory(project=world.team.project, name="Blind week", blind=True)
    session.sources.set([world.source])
    session.participants.set([world.team.annotator, world.team.annotator2])
    start = Event.objects.latest("id").pk
    beat(api_as, world.team.annotator, world.source.pk, world.passages[1].pk)
    received = [
        e
        for e in events_of(stream(world.team.annotator2, last_event_id=start)[1])
        if e["event"] == "presence"
    ]
    assert [(e["data"]["object"], e["data"]["ordinal"], e["data"]["source"]) for e in received] == [
        (world.team.annotator.pk, 1, world.source.pk)
    ]
    assert set(received[0]["data"]) == {
        "id", "kind", "object", "actor", "created", "source", "present", "passage", "ordinal", "name",
        "initials",
    }  # fmt: skip
    assert events_of(stream(world.team.outsider, slug="elsewhere", last_event_id=start)[1]) == []
