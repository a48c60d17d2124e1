"""The rules for work in a session, tried as an annotator and a lead meet them through the API and the
pages: no writing after submitting, only the session's sources, leads free of the clock, spans that
mark at least one character, and a quote that follows the offsets."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sources.models import Annotation, Session
from sources.services.annotations import annotation_create
from sources.services.sessions import session_create

from .conftest import make_source

HOUR = timezone.timedelta(hours=1)


def api_url(name: str, **kwargs) -> str:
    return reverse(f"api:{name}", kwargs=kwargs or None)


@pytest.fixture
def session(team, source) -> Session:
    return session_create(
        project=team.project,
        created_by=team.owner,
        name="Week 1",
        opens_at=timezone.now() - HOUR,
        closes_at=timezone.now() + 24 * HOUR,
        sources=[source],
        participants=[team.annotator, team.annotator2],
    )


def tag_url(passage, session) -> str:
    return f"/p/class/passages/{passage.pk}/annotations/?session={session.pk}"


def test_after_submitting_an_annotator_can_neither_tag_edit_nor_delete(
    team, passages, themes, session, api_as, client_as, htmx_headers
):
    mine = annotation_create(
        passage=passages[1], theme=themes["energy"], author=team.annotator, session=session
    )
    api = api_as(team.annotator)
    assert api.post(api_url("session-submit", pk=session.pk)).status_code == 200

    body = {"passage": passages[2].pk, "theme": themes["energy"].pk, "session": session.pk}
    for response in [
        api.post(api_url("annotation-list"), body),
        api.patch(api_url("annotation-detail", pk=mine.pk), {"note": "second thoughts"}),
        api.delete(api_url("annotation-detail", pk=mine.pk)),
    ]:
        assert response.status_code == 400, response.content
        assert response.json()["session"] == ["You have already submitted your work in this session."]

    page = client_as(team.annotator).post(
        tag_url(passages[2], session), {"theme": themes["energy"].pk}, headers=htmx_headers
    )
    assert page.status_code == 422
    assert "You have already submitted your work in this session." in page.content.decode()
    assert list(Annotation.objects.values_list("pk", "note")) == [(mine.pk, "")]

    # The colleague who has not submitted still works.
    assert api_as(team.annotator2).post(api_url("annotation-list"), body).status_code == 201


def test_a_passage_whose_source_is_not_in_the_session_cannot_be_tagged_in_it(
    team, themes, session, api_as, client_as, htmx_headers
):
    elsewhere = make_source(team.project, ["Heading", "A passage of another article."], title="Other")
    passage = elsewhere.passages.get(ordinal=1)
    body = {"passage": passage.pk, "theme": themes["energy"].pk, "session": session.pk}
    response = api_as(team.annotator).post(api_url("annotation-list"), body)
    assert response.status_code == 400
    assert response.json()["session"] == ["This passage's source is not part of the session."]
    # Nor can a lead put it there.
    response = api_as(team.instructor).post(api_url("annotation-list"), body)
    assert response.status_code == 400
    page = client_as(team.annotator).post(
        tag_url(passage, session), {"theme": themes["energy"].pk}, headers=htmx_headers
    )
    assert page.status_code in (404, 422)
    assert not Annotation.objects.exists()


def test_a_lead_edits_and_tags_after_closing_while_the_annotator_is_refused(
    team, passages, themes, session, api_as
):
    work = annotation_create(
        passage=passages[1], theme=themes["energy"], author=team.annotator, session=session
    )
    Session.objects.filter(pk=session.pk).update(closes_at=timezone.now() - timezone.timedelta(minutes=1))

    refused = api_as(team.annotator).patch(api_url("annotation-detail", pk=work.pk), {"note": "late"})
    assert refused.status_code == 400
    assert "closed at" in refused.json()["session"][0]

    lead = api_as(team.instructor)
    edited = lead.patch(api_url("annotation-detail", pk=work.pk), {"note": "adjudicated"})
    assert edited.status_code == 200, edited.content
    assert edited.json()["note"] == "adjudicated"
    key = {"passage": passages[2].pk, "theme": themes["terrorism"].pk, "session": session.pk}
    created = lead.post(api_url("annotation-list"), key)
    assert created.status_code == 201, created.content
    assert Annotation.objects.get(pk=created.json()["id"]).author == team.instructor


def test_a_span_must_mark_at_least_one_character(team, passages, themes, api_as):
    api = api_as(team.annotator)
    text = passages[1].text
    body = {"passage": passages[1].pk, "theme": themes["energy"].pk}
    empty = api.post(api_url("annotation-list"), {**body, "start": 5, "end": 5})
    assert empty.status_code == 400
    assert "empty span" in empty.json()["end"][0]

    # One character, the passage's last: the smallest span there is, at the very end.
    last = api.post(api_url("annotation-list"), {**body, "start": len(text) - 1, "end": len(text)})
    assert last.status_code == 201, last.content
    assert last.json()["quote"] == text[-1]
    first = api.post(api_url("annotation-list"), {**body, "start": 0, "end": 1})
    assert first.status_code == 201, first.content
    assert first.json()["quote"] == text[0]

    # Narrowing a span to nothing is refused too, and leaves it as it was.
    narrowed = api.patch(api_url("annotation-detail", pk=first.json()["id"]), {"start": 1, "end": 1})
    assert narrowed.status_code == 400
    assert "empty span" in narrowed.json()["end"][0]
    assert Annotation.objects.get(pk=first.json()["id"]).end == 1


def test_the_quote_follows_the_offsets_and_cannot_be_changed_alone(team, passages, themes, api_as):
    api = api_as(team.annotator)
    text = passages[1].text
    span = api.post(
        api_url("annotation-list"),
        {"passage": passages[1].pk, "theme": themes["energy"].pk, "start": 0, "end": 5},
    ).json()
    detail = api_url("annotation-detail", pk=span["id"])

    changed = api.patch(detail, {"quote": "Something else"})
    assert changed.status_code == 400
    assert changed.json()["quote"] == ["The quote follows the offsets; change start and end instead."]
    assert Annotation.objects.get(pk=span["id"]).quote == text[0:5]

    # Sending the quote it already has, with a note, is no change of quote.
    same = api.patch(detail, {"quote": text[0:5], "note": "kept"})
    assert same.status_code == 200, same.content
    assert (same.json()["quote"], same.json()["note"]) == (text[0:5], "kept")

    # Moving the offsets moves the quote; a quote given with them must match the text there.
    moved = api.patch(detail, {"start": 6, "end": 11})
    assert moved.status_code == 200
    assert moved.json()["quote"] == text[6:11]
    wrong = api.patch(detail, {"start": 0, "end": 5, "quote": "nope!"})
    assert wrong.status_code == 400
    assert "does not match the passage text" in wrong.json()["quote"][0]
    assert Annotation.objects.get(pk=span["id"]).quote == text[6:11]
