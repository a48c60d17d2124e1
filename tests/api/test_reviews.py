"""/api/reviews/: owners and instructors approve, reject (saying why) or comment."""

import pytest

from sources.models import Annotation, Evidence, Review, Submission

from ..factories import AnnotationFactory, SessionFactory
from .conftest import url

pytestmark = pytest.mark.django_db


def test_approving_an_annotation_sets_its_status_and_version(world, api_as):
    response = api_as(world.team.instructor).post(
        url("review-list"), {"annotation": world.annotation.pk, "decision": "approve"}
    )
    assert response.status_code == 201, response.json()
    annotation = Annotation.objects.get(pk=world.annotation.pk)
    assert (annotation.status, annotation.version) == ("approved", 2)


def test_rejecting_without_a_comment_is_refused(world, api_as):
    response = api_as(world.team.owner).post(
        url("review-list"), {"annotation": world.annotation.pk, "decision": "reject"}
    )
    assert response.status_code == 400
    assert "Say why" in response.json()["comment"][0]
    assert Annotation.objects.get(pk=world.annotation.pk).status == "draft"


def test_evidence_is_reviewed_too(world, api_as):
    body = {"evidence": world.evidence.pk, "decision": "reject", "comment": "Reads too much into it."}
    assert api_as(world.team.owner).post(url("review-list"), body).status_code == 201
    assert Evidence.objects.get(pk=world.evidence.pk).status == "rejected"


@pytest.mark.parametrize(
    "body", [{"decision": "approve"}, {"decision": "approve", "annotation": 1, "evidence": 1}]
)
def test_a_review_is_of_exactly_one_annotation_or_evidence_link(world, api_as, body):
    body = {
        **body,
        **({"annotation": world.annotation.pk, "evidence": world.evidence.pk} if "evidence" in body else {}),
    }
    response = api_as(world.team.owner).post(url("review-list"), body)
    assert response.status_code == 400
    assert "exactly one" in response.json()["non_field_errors"][0]


def test_an_annotator_cannot_review_even_their_own_work(world, api_as):
    body = {"annotation": world.own_annotation.pk, "decision": "approve"}
    response = api_as(world.team.annotator).post(url("review-list"), body)
    assert response.status_code == 403


def test_reviews_filter_by_project_annotation_reviewer_and_decision(world, api_as):
    client = api_as(world.team.owner)
    client.post(url("review-list"), {"evidence": world.evidence.pk, "decision": "approve"})

    def reviews(**params):
        return [
            (row["decision"], row["reviewer"])
            for row in client.get(url("review-list"), params).json()["results"]
        ]

    assert reviews(project="class") == [
        ("comment", world.team.instructor.pk),
        ("approve", world.team.owner.pk),
    ]
    assert reviews(annotation=world.annotation.pk) == [("comment", world.team.instructor.pk)]
    assert reviews(reviewer=world.team.owner.pk) == [("approve", world.team.owner.pk)]
    assert reviews(decision="approve") == [("approve", world.team.owner.pk)]
    assert reviews(project="elsewhere") == []


def test_reviews_of_annotations_a_blind_session_hides_are_hidden_too(world, api_as):
    blind = SessionFactory(project=world.team.project, blind=True)
    blind.sources.set([world.source])
    blind.participants.set([world.team.annotator, world.team.annotator2])
    hidden = AnnotationFactory(
        passage=world.passages[3], theme=world.energy, author=world.team.annotator2, session=blind
    )
    review = Review.objects.create(annotation=hidden, reviewer=world.team.owner, decision="approve")
    evidence_review = Review.objects.create(
        evidence=world.evidence, reviewer=world.team.owner, decision="approve"
    )
    client = api_as(world.team.annotator)

    def seen():
        return {row["id"] for row in client.get(url("review-list")).json()["results"]}

    assert seen() == {world.review.pk, evidence_review.pk}
    assert client.get(url("review-detail", pk=review.pk)).status_code == 404
    Submission.objects.create(session=blind, user=world.team.annotator)
    assert seen() == {world.review.pk, evidence_review.pk}  # the colleague has not submitted
    Submission.objects.create(session=blind, user=world.team.annotator2)
    assert seen() == {world.review.pk, evidence_review.pk, review.pk}
