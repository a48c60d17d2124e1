"""Team sessions through the API with several people: blind work, submitting, closing, review, agreement."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from sources.models import Annotation, Review, Session

from .conftest import url

pytestmark = pytest.mark.django_db


def client(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.fixture
def blind(world) -> Session:
    Session.objects.filter(pk=world.session.pk).update(blind=True)
    world.session.refresh_from_db()
    return world.session


def tag(user, world, passage, theme, **span):
    body = {"passage": passage.pk, "theme": theme.pk, "session": world.session.pk, **span}
    response = client(user).post(url("annotation-list"), body)
    assert response.status_code == 201, response.json()
    return response.json()


def session_tags_seen_by(user, world) -> set[int]:
    """The authors whose session annotations `user` sees."""
    response = client(user).get(url("annotation-list"), {"session": world.session.pk})
    return {a["author"] for a in response.json()["results"]}


def test_in_a_blind_session_annotators_see_each_other_only_after_both_submitted(world, blind):
    ann1, ann2 = world.team.annotator, world.team.annotator2
    tag(ann1, world, world.passages[0], world.terrorism)
    tag(ann2, world, world.passages[0], world.energy)
    assert session_tags_seen_by(ann1, world) == {ann1.pk}
    assert session_tags_seen_by(ann2, world) == {ann2.pk}
    assert session_tags_seen_by(world.team.instructor, world) == {ann1.pk, ann2.pk}

    response = client(ann1).post(url("session-submit", pk=blind.pk))
    assert response.json() == {"session": blind.pk, "submitted": 1}
    # ann2's work is still unsubmitted: it stays theirs alone, as ann1's stays hidden from ann2.
    assert session_tags_seen_by(ann1, world) == {ann1.pk}
    assert session_tags_seen_by(ann2, world) == {ann2.pk}
    assert client(ann2).post(url("session-submit", pk=blind.pk)).status_code == 200
    assert session_tags_seen_by(ann1, world) == {ann1.pk, ann2.pk}
    assert session_tags_seen_by(ann2, world) == {ann1.pk, ann2.pk}


def test_submitting_turns_drafts_into_submitted_work_once(world):
    mine = tag(world.team.annotator, world, world.passages[2], world.energy)
    assert mine["status"] == "draft"
    assert client(world.team.annotator).post(url("session-submit", pk=world.session.pk)).status_code == 200
    assert Annotation.objects.get(pk=mine["id"]).status == "submitted"
    again = client(world.team.annotator).post(url("session-submit", pk=world.session.pk))
    assert again.status_code == 409
    assert "already submitted" in again.json()["detail"]
    progress = client(world.team.instructor).get(url("session-progress", pk=world.session.pk)).json()
    done = {p["user"]: p["submitted"] for p in progress["participants"]}
    assert done[world.team.annotator.pk] is True and done[world.team.annotator2.pk] is False


def test_after_closing_an_edit_is_refused_with_a_clear_message_and_nothing_changes(world):
    mine = tag(world.team.annotator, world, world.passages[2], world.energy)
    now = timezone.now()
    Session.objects.filter(pk=world.session.pk).update(
        opens_at=now - timezone.timedelta(days=2), closes_at=now - timezone.timedelta(minutes=1)
    )
    response = client(world.team.annotator).patch(url("annotation-detail", pk=mine["id"]), {"note": "late"})
    assert response.status_code == 400
    assert "closed at" in response.json()["session"][0]
    assert Annotation.objects.get(pk=mine["id"]).note == ""
    late_tag = client(world.team.annotator).post(
        url("annotation-list"),
        {"passage": world.passages[3].pk, "theme": world.energy.pk, "session": world.session.pk},
    )
    assert late_tag.status_code == 400
    assert client(world.team.annotator).post(url("session-submit", pk=world.session.pk)).status_code == 400


def test_a_review_decision_and_comment_reach_the_annotator(world):
    mine = tag(world.team.annotator, world, world.passages[2], world.energy)
    client(world.team.annotator).post(url("session-submit", pk=world.session.pk))
    decision = {"annotation": mine["id"], "decision": "reject", "comment": "This passage is about trade."}
    assert client(world.team.instructor).post(url("review-list"), decision).status_code == 201
    seen = client(world.team.annotator).get(url("annotation-detail", pk=mine["id"])).json()
    assert seen["status"] == "rejected"
    reviews = (
        client(world.team.annotator).get(url("review-list"), {"annotation": mine["id"]}).json()["results"]
    )
    assert [(r["decision"], r["comment"]) for r in reviews] == [("reject", "This passage is about trade.")]


def test_bulk_review_is_all_or_nothing(world):
    both = [world.own_annotation.pk, world.annotation.pk]
    refused = client(world.team.instructor).post(
        url("review-bulk"), {"annotations": both, "decision": "reject"}
    )
    assert refused.status_code == 400
    assert "comment" in refused.json()
    assert not Review.objects.filter(annotation__in=both, decision="reject").exists()
    done = client(world.team.instructor).post(
        url("review-bulk"), {"annotations": both, "decision": "approve"}
    )
    assert done.status_code == 201
    assert set(Annotation.objects.filter(pk__in=both).values_list("status", flat=True)) == {"approved"}


def test_agreement_of_a_session_matches_a_hand_computation(world):
    ann1, ann2 = world.team.annotator, world.team.annotator2
    for user, passages in [(ann1, [0, 1]), (ann2, [0])]:
        for n in passages:
            tag(user, world, world.passages[n], world.energy)
    for user in (ann1, ann2):
        client(user).post(url("session-submit", pk=world.session.pk))
    response = client(world.team.instructor).get(
        url("project-agreement", slug=world.team.project.slug),
        {"session": world.session.pk, "theme": "energy"},
    )
    assert response.status_code == 200, response.json()
    [energy] = response.json()["themes"]
    # 4 passages; ann1 tags 0 and 1, ann2 tags 0: agreement on 3 of 4, Cohen's kappa 0.5
    assert (energy["items"], energy["annotators"]) == (4, 2)
    assert energy["cohen_kappa"] == pytest.approx(0.5)
    assert energy["percent_agreement"] == pytest.approx(0.75)
    assert energy["krippendorff_alpha"] == pytest.approx(1 - 7 * 2 / 30, abs=1e-6)


def test_agreement_needs_a_session_of_the_project(world):
    api = client(world.team.instructor)
    response = api.get(url("project-agreement", slug=world.team.project.slug))
    assert response.status_code == 400 and "session" in response.json()
    response = api.get(url("project-agreement", slug=world.team.project.slug), {"session": 999999})
    assert response.status_code == 400 and "No such session" in response.json()["session"][0]
