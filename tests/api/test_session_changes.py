"""A session's set-up changed through the API one part at a time, the refusals it answers word for word,
and what submitting does to the submitter's drafts of that session, and to nobody else's."""

import pytest
from django.utils import timezone

from sources.models import Annotation, Session
from sources.services.sessions import session_create

from ..factories import AnnotationFactory, SourceFactory, ThemeFactory
from .conftest import url

pytestmark = pytest.mark.django_db

HOUR = timezone.timedelta(hours=1)


def _session(team, sources, name: str = "Week 1") -> Session:
    """Set up as a script would, saying nothing of instructions or blindness."""
    return session_create(
        project=team.project,
        created_by=team.instructor,
        name=name,
        opens_at=timezone.now() - HOUR,
        closes_at=timezone.now() + 24 * HOUR,
        sources=sources,
        participants=[team.annotator, team.annotator2],
    )


@pytest.fixture
def sources(team):
    return [SourceFactory(project=team.project, paragraphs=[f"Passage {n}."]) for n in range(2)]


def _detail(api_as, team, session) -> dict:
    response = api_as(team.instructor).get(url("session-detail", pk=session.pk))
    assert response.status_code == 200
    return response.json()


def test_a_session_set_up_without_saying_is_not_blind_and_has_no_instructions(team, sources, api_as):
    detail = _detail(api_as, team, _session(team, sources[:1]))
    assert (detail["blind"], detail["instructions"], detail["created_by"]) == (False, "", team.instructor.pk)


def test_changing_the_participants_keeps_the_sources_and_the_reverse(team, sources, api_as):
    session = _session(team, sources[:1])
    lead = api_as(team.instructor)
    change = lead.patch(url("session-detail", pk=session.pk), {"participants": [team.annotator.pk]})
    assert change.status_code == 200, change.json()
    assert (change.json()["sources"], change.json()["participants"]) == ([sources[0].pk], [team.annotator.pk])

    change = lead.patch(url("session-detail", pk=session.pk), {"sources": [s.pk for s in sources]})
    assert change.status_code == 200, change.json()
    assert change.json()["sources"] == sorted(s.pk for s in sources)
    assert change.json()["participants"] == [team.annotator.pk]

    change = lead.patch(url("session-detail", pk=session.pk), {"name": "Week 1, again", "blind": True})
    assert change.status_code == 200, change.json()
    detail = _detail(api_as, team, session)
    assert (detail["name"], detail["blind"]) == ("Week 1, again", True)
    assert (detail["sources"], detail["participants"]) == (sorted(s.pk for s in sources), [team.annotator.pk])


def test_the_refusals_of_a_set_up_name_the_field_and_the_rule(team, sources, api_as):
    session = _session(team, sources[:1])
    lead = api_as(team.owner)
    # The outsider belongs to another project: a member somewhere is not a member here.
    refused = lead.patch(
        url("session-detail", pk=session.pk), {"participants": [team.annotator.pk, team.outsider.pk]}
    )
    assert refused.status_code == 400
    assert refused.json() == {"participants": ["Every participant must be a member of the project."]}
    team.other_project.memberships.create(user=team.owner, role="owner")
    foreign = SourceFactory(project=team.other_project)
    refused = lead.patch(url("session-detail", pk=session.pk), {"sources": [foreign.pk]})
    assert refused.status_code == 400
    assert refused.json() == {"sources": ["Every source must belong to the session's project."]}
    detail = _detail(api_as, team, session)
    assert (detail["sources"], detail["participants"]) == (
        [sources[0].pk],
        sorted([team.annotator.pk, team.annotator2.pk]),
    )


def test_submitting_turns_only_the_submitters_drafts_of_this_session_into_submitted_work(
    team, sources, api_as
):
    energy = ThemeFactory(project=team.project, slug="energy")
    week1, week2 = _session(team, sources), _session(team, sources, name="Week 2")
    [first], [second] = (list(source.passages.all()) for source in sources)
    mine = [
        AnnotationFactory(passage=passage, theme=energy, author=team.annotator, session=week1)
        for passage in (first, second)
    ]
    colleagues = AnnotationFactory(passage=first, theme=energy, author=team.annotator2, session=week1)
    next_week = AnnotationFactory(passage=first, theme=energy, author=team.annotator, session=week2)
    outside = AnnotationFactory(passage=second, theme=energy, author=team.annotator)
    # A lead may decide on a draft before it is submitted; submitting then leaves the decision be.
    decided = AnnotationFactory(
        passage=second, theme=energy, author=team.annotator, session=week1, start=0, end=4
    )
    review = api_as(team.instructor).post(
        url("review-list"), {"annotation": decided.pk, "decision": "approve"}
    )
    assert review.status_code == 201, review.json()

    annotator = api_as(team.annotator)
    response = annotator.post(url("session-submit", pk=week1.pk))
    assert response.status_code == 200
    assert response.json() == {"session": week1.pk, "submitted": 2}
    for annotation in mine:
        shown = annotator.get(url("annotation-detail", pk=annotation.pk)).json()
        assert (shown["status"], shown["version"]) == ("submitted", 2)
    assert (Annotation.objects.get(pk=decided.pk).status, Annotation.objects.get(pk=decided.pk).version) == (
        "approved",
        2,
    )
    assert {
        a.pk: (a.status, a.version)
        for a in Annotation.objects.filter(pk__in=[colleagues.pk, next_week.pk, outside.pk])
    } == {colleagues.pk: ("draft", 1), next_week.pk: ("draft", 1), outside.pk: ("draft", 1)}

    # Submitting here does not count as submitting next week, nor for the colleague.
    assert annotator.post(url("session-submit", pk=week2.pk)).json() == {"session": week2.pk, "submitted": 1}
    again = annotator.post(url("session-submit", pk=week1.pk))
    assert again.status_code == 409
    assert again.json()["detail"] == "You have already submitted your work in this session."
    assert api_as(team.annotator2).post(url("session-submit", pk=week1.pk)).json()["submitted"] == 1


def test_submitting_is_refused_to_a_member_outside_the_session_and_after_closing(team, sources, api_as):
    session = _session(team, sources[:1])
    session.participants.remove(team.annotator2)  # still a member of the project
    refused = api_as(team.annotator2).post(url("session-submit", pk=session.pk))
    assert refused.status_code == 400
    assert refused.json() == {"session": ["You are not a participant of this session."]}

    closes_at = timezone.now() - timezone.timedelta(minutes=1)
    Session.objects.filter(pk=session.pk).update(opens_at=closes_at - 24 * HOUR, closes_at=closes_at)
    late = api_as(team.annotator).post(url("session-submit", pk=session.pk))
    assert late.status_code == 400
    assert late.json() == {"session": [f"Session 'Week 1' closed at {closes_at:%Y-%m-%d %H:%M} UTC."]}
