"""Tagging rules an annotator meets through the API and the reader, at their edges: a whole-passage tag
has no quote, a session not yet open or of another project takes no tags, a lead elsewhere is bound by
this project's clock, and what counts as the same tag twice (the same person, passage, theme, span and
session; nothing less)."""

from html import escape

from django.urls import reverse
from django.utils import timezone

from sources.models import Annotation, Membership, Role, Session
from sources.services.sessions import session_create

from .conftest import make_source

HOUR = timezone.timedelta(hours=1)


def api_url(name: str, **kwargs) -> str:
    return reverse(f"api:{name}", kwargs=kwargs or None)


def _session(team, source, *, project=None, participants=None, opens_in=-HOUR, name="Week 1") -> Session:
    return session_create(
        project=project or team.project,
        created_by=team.owner,
        name=name,
        opens_at=timezone.now() + opens_in,
        closes_at=timezone.now() + opens_in + 24 * HOUR,
        sources=[source],
        participants=participants or [team.annotator, team.annotator2],
    )


def test_a_whole_passage_tag_given_a_quote_is_refused_and_keeps_an_empty_quote_otherwise(
    team, passages, themes, api_as
):
    api = api_as(team.annotator)
    body = {"passage": passages[1].pk, "theme": themes["energy"].pk}
    refused = api.post(api_url("annotation-list"), {**body, "quote": "China"})
    assert refused.status_code == 400
    assert refused.json() == {"quote": ["A whole-passage tag has no quote; give start and end for a span."]}
    only_end = api.post(api_url("annotation-list"), {**body, "end": 5})
    assert only_end.status_code == 400
    assert only_end.json() == {"start": ["A span needs both start and end."]}
    assert not Annotation.objects.exists()
    whole = api.post(api_url("annotation-list"), body)
    assert whole.status_code == 201
    assert (whole.json()["start"], whole.json()["end"], whole.json()["quote"]) == (None, None, "")


def test_a_session_not_yet_open_takes_no_tags_and_says_when_it_opens(
    team, source, passages, themes, api_as, client_as, htmx_headers
):
    upcoming = _session(team, source, opens_in=2 * HOUR)
    body = {"passage": passages[1].pk, "theme": themes["energy"].pk, "session": upcoming.pk}
    refused = api_as(team.annotator).post(api_url("annotation-list"), body)
    assert refused.status_code == 400
    message = f"Session 'Week 1' opens at {upcoming.opens_at:%Y-%m-%d %H:%M} UTC."
    assert refused.json() == {"session": [message]}
    page = client_as(team.annotator).post(
        f"/p/class/passages/{passages[1].pk}/annotations/?session={upcoming.pk}",
        {"theme": themes["energy"].pk},
        headers=htmx_headers,
    )
    assert page.status_code == 422 and escape(message) in page.content.decode()
    assert not Annotation.objects.exists()


def test_a_session_of_another_project_takes_no_tags_of_this_one(team, passages, themes, api_as):
    Membership.objects.create(project=team.other_project, user=team.annotator, role=Role.ANNOTATOR)
    elsewhere = make_source(team.other_project, ["Heading", "Another team's passage."], title="Theirs")
    theirs = _session(team, elsewhere, project=team.other_project, participants=[team.annotator])
    body = {"passage": passages[1].pk, "theme": themes["energy"].pk, "session": theirs.pk}
    refused = api_as(team.annotator).post(api_url("annotation-list"), body)
    assert refused.status_code == 400
    assert refused.json() == {"session": ["The session belongs to another project."]}
    assert not Annotation.objects.exists()


def test_leading_another_project_frees_nobody_from_this_ones_clock(team, source, passages, themes, api_as):
    # The outsider owns another project and annotates in this one.
    Membership.objects.create(project=team.project, user=team.outsider, role=Role.ANNOTATOR)
    session = _session(team, source, participants=[team.outsider])
    api = api_as(team.outsider)
    body = {"passage": passages[1].pk, "theme": themes["energy"].pk, "session": session.pk}
    mine = api.post(api_url("annotation-list"), body)
    assert mine.status_code == 201, mine.content
    Session.objects.filter(pk=session.pk).update(closes_at=timezone.now() - timezone.timedelta(minutes=1))
    late = api.patch(api_url("annotation-detail", pk=mine.json()["id"]), {"note": "late"})
    assert late.status_code == 400
    assert "closed at" in late.json()["session"][0]
    assert api.post(api_url("annotation-list"), {**body, "passage": passages[2].pk}).status_code == 400


def test_the_same_tag_twice_is_a_conflict_but_not_in_another_session_span_or_hand(
    team, source, passages, themes, api_as
):
    session = _session(team, source)
    api = api_as(team.annotator)
    whole = {"passage": passages[1].pk, "theme": themes["energy"].pk}
    outside = api.post(api_url("annotation-list"), whole)
    assert outside.status_code == 201
    in_session = api.post(api_url("annotation-list"), {**whole, "session": session.pk})
    assert in_session.status_code == 201, in_session.content
    again = api.post(api_url("annotation-list"), {**whole, "session": session.pk})
    assert again.status_code == 409
    assert again.json()["detail"] == "You already tagged this passage with Energy."
    assert again.json()["existing_id"] == in_session.json()["id"]
    again = api.post(api_url("annotation-list"), whole)
    assert (again.status_code, again.json()["existing_id"]) == (409, outside.json()["id"])
    other_theme = api.post(api_url("annotation-list"), {**whole, "theme": themes["terrorism"].pk})
    assert other_theme.status_code == 201, other_theme.content

    # Spans sharing a start or an end with another, and the colleague's same tags, are new tags.
    span = {**whole, "session": session.pk, "start": 0, "end": 5}
    for offsets in [{"start": 0, "end": 5}, {"start": 0, "end": 6}, {"start": 1, "end": 5}]:
        assert api.post(api_url("annotation-list"), {**span, **offsets}).status_code == 201
    again = api.post(api_url("annotation-list"), span)
    assert again.status_code == 409
    assert again.json()["detail"] == "You already tagged this span with Energy."
    colleague = api_as(team.annotator2)
    assert colleague.post(api_url("annotation-list"), {**whole, "session": session.pk}).status_code == 201
    assert colleague.post(api_url("annotation-list"), span).status_code == 201
    assert Annotation.objects.count() == 8


def test_a_member_outside_the_session_cannot_tag_in_it(team, source, passages, themes, api_as):
    session = _session(team, source, participants=[team.annotator2])
    body = {"passage": passages[1].pk, "theme": themes["energy"].pk, "session": session.pk}
    refused = api_as(team.annotator).post(api_url("annotation-list"), body)
    assert refused.status_code == 400
    assert refused.json() == {"session": ["You are not a participant of this session."]}
    assert not Annotation.objects.exists()
