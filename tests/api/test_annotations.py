"""/api/annotations/: tagging spans, validation messages, duplicates, ETags and blind sessions."""

import pytest

from sources.models import Annotation, Submission, Theme

from ..factories import AnnotationFactory, SessionFactory, ThemeFactory
from .conftest import World, url

pytestmark = pytest.mark.django_db


def tag(client, world: World, **fields):
    data = {"passage": world.passages[0].pk, "theme": world.terrorism.pk, **fields}
    return client.post(url("annotation-list"), data, format="json")


def test_annotator_tags_a_span_and_gets_its_quote_and_theme_slug(world, api_as):
    response = tag(api_as(world.team.annotator), world, start=28, end=38, note="The first evil.")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["quote"] == "terrorism,"
    assert body["theme"] == world.terrorism.pk
    assert body["theme_slug"] == "terrorism"
    assert body["author"] == world.team.annotator.pk
    assert body["status"] == "draft"
    assert response["ETag"] == f'"{body["id"]}-1"'


def test_a_whole_passage_tag_has_no_offsets_and_an_empty_quote(world, api_as):
    response = tag(api_as(world.team.annotator), world)
    assert response.status_code == 201
    assert (response.json()["start"], response.json()["end"], response.json()["quote"]) == (None, None, "")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"start": 0, "end": 500}, "end", "past the passage text"),
        ({"start": 10, "end": 4}, "end", "must not be before start"),
        ({"start": 4, "end": 4}, "end", "an empty span tags nothing"),
        ({"start": 0, "end": 5, "quote": "Japan"}, "quote", "does not match the passage text"),
        ({"start": 3}, "end", "needs both start and end"),
        ({"start": -1, "end": 4}, "start", "greater than or equal to 0"),
        ({"passage": 10**12}, "passage", "does not exist"),
        ({"theme": "terrorism"}, "theme", "Incorrect type"),
    ],
)
def test_a_bad_span_is_refused_with_a_message_on_the_field(world, api_as, fields, field, message):
    response = tag(api_as(world.team.annotator), world, **fields)
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert not Annotation.objects.filter(author=world.team.annotator, passage=world.passages[0]).exists()


def test_a_theme_of_another_project_is_refused_even_when_the_caller_sees_both(world, api_as):
    foreign = ThemeFactory(project=world.team.other_project, slug="foreign")
    world.team.other_project.memberships.create(user=world.team.annotator, role="annotator")
    response = tag(api_as(world.team.annotator), world, theme=foreign.pk)
    assert response.status_code == 400
    assert "another project" in response.json()["theme"][0]


def test_tagging_the_same_span_twice_is_a_conflict_naming_the_first(world, api_as):
    client = api_as(world.team.annotator)
    first = tag(client, world, start=0, end=5).json()
    again = tag(client, world, start=0, end=5)
    assert again.status_code == 409
    assert again.json()["existing_id"] == first["id"]
    theme = Theme.objects.get(pk=first["theme"])
    # The message names the theme as people see it, not its slug or a database id.
    assert again.json()["detail"] == f"You already tagged this span with {theme.name}."


def test_get_answers_an_etag_and_a_stale_if_match_changes_nothing(world, api_as):
    client = api_as(world.team.annotator)
    annotation = world.own_annotation
    etag = client.get(url("annotation-detail", pk=annotation.pk))["ETag"]
    assert etag == f'"{annotation.pk}-1"'

    first = client.patch(url("annotation-detail", pk=annotation.pk), {"note": "v2"}, HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    assert first["ETag"] == f'"{annotation.pk}-2"'

    stale = client.patch(url("annotation-detail", pk=annotation.pk), {"note": "v3"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert "ETag" in stale.json()["detail"] or "changed" in stale.json()["detail"]
    deleted = client.delete(url("annotation-detail", pk=annotation.pk), HTTP_IF_MATCH=etag)
    assert deleted.status_code == 412
    annotation.refresh_from_db()
    assert (annotation.note, annotation.version) == ("v2", 2)


def test_an_if_match_for_the_current_version_deletes(world, api_as):
    client = api_as(world.team.annotator)
    pk = world.own_annotation.pk
    assert client.delete(url("annotation-detail", pk=pk), HTTP_IF_MATCH=f'W/"{pk}-1"').status_code == 412
    assert client.delete(url("annotation-detail", pk=pk), HTTP_IF_MATCH=f'"{pk}-1"').status_code == 204
    assert not Annotation.objects.filter(pk=pk).exists()


def test_moving_a_span_recomputes_its_quote(world, api_as):
    client = api_as(world.team.instructor)
    response = client.patch(url("annotation-detail", pk=world.annotation.pk), {"start": 6, "end": 10})
    assert response.status_code == 200
    assert response.json()["quote"] == "uses"


def test_put_is_not_offered(world, api_as):
    response = api_as(world.team.owner).put(url("annotation-detail", pk=world.annotation.pk), {"note": "x"})
    assert response.status_code == 405


@pytest.fixture
def blind(world):
    session = SessionFactory(project=world.team.project, blind=True, name="Blind week")
    session.sources.set([world.source])
    session.participants.set([world.team.annotator, world.team.annotator2])
    mine = AnnotationFactory(
        passage=world.passages[2], theme=world.energy, author=world.team.annotator, session=session
    )
    theirs = AnnotationFactory(
        passage=world.passages[3], theme=world.terrorism, author=world.team.annotator2, session=session
    )
    return session, mine, theirs


def listed(client, **params) -> set[int]:
    return {row["id"] for row in client.get(url("annotation-list"), params).json()["results"]}


def test_an_annotator_in_a_blind_session_sees_only_their_own_session_work_until_both_submit(
    world, blind, api_as
):
    session, mine, theirs = blind
    client = api_as(world.team.annotator)
    assert listed(client, session=session.pk) == {mine.pk}
    assert client.get(url("annotation-detail", pk=theirs.pk)).status_code == 404

    Submission.objects.create(session=session, user=world.team.annotator)
    assert listed(client, session=session.pk) == {mine.pk}  # the colleague has not submitted yet
    Submission.objects.create(session=session, user=world.team.annotator2)
    assert listed(client, session=session.pk) == {mine.pk, theirs.pk}


def test_leads_and_observers_see_every_blind_session_annotation(world, blind, api_as):
    session, mine, theirs = blind
    for role in ("owner", "instructor", "observer"):
        assert listed(api_as(world.team.user(role)), session=session.pk) == {mine.pk, theirs.pk}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"project": "class"}, {"annotation", "own_annotation"}),
        ({"project": "elsewhere"}, set()),
        ({"theme": "energy"}, {"own_annotation"}),
        ({"passage": "passage0"}, {"annotation"}),
        ({"source": "source"}, {"annotation", "own_annotation"}),
        ({"author": "annotator2"}, {"annotation"}),
        ({"status": "draft"}, {"annotation", "own_annotation"}),
        ({"status": "approved"}, set()),
    ],
)
def test_annotations_filter_by_project_theme_passage_source_author_and_status(
    world, api_as, params, expected
):
    ids = {
        "passage0": world.passages[0].pk,
        "source": world.source.pk,
        "annotator2": world.team.annotator2.pk,
    }
    query = {key: ids.get(value, value) for key, value in params.items()}
    assert listed(api_as(world.team.observer), **query) == {getattr(world, name).pk for name in expected}


def test_an_unknown_status_filter_is_a_400_not_an_empty_list(world, api_as):
    response = api_as(world.team.observer).get(url("annotation-list"), {"status": "lost"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_annotations_page_by_cursor_in_a_stable_order(world, api_as):
    for passage in world.passages[2:]:
        AnnotationFactory(passage=passage, theme=world.terrorism, author=world.team.annotator)
    client = api_as(world.team.owner)
    first = client.get(url("annotation-list"), {"page_size": 3}).json()
    assert len(first["results"]) == 3 and first["previous"] is None
    second = client.get(first["next"]).json()
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert ids == sorted(ids) and len(ids) == 4
    assert second["next"] is None


@pytest.mark.django_db
def test_a_tag_reads_the_same_as_drf_would_write_it_field_by_field():
    """The serializer reads the row directly for speed: it must answer exactly Meta's fields, as DRF's
    own field-by-field representation would (a field added to Meta and forgotten would differ)."""
    from rest_framework import serializers

    from sources.api.annotations import AnnotationSerializer

    annotation = AnnotationFactory(start=0, end=4, note="a note")
    serializer = AnnotationSerializer(annotation)
    assert list(serializer.data) == AnnotationSerializer.Meta.fields
    assert serializer.data == serializers.ModelSerializer.to_representation(serializer, annotation)
