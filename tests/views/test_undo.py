"""Undo: one's own last write in the project, one step at a time, recorded in the history."""

import pytest
from django.utils import timezone

from sources.models import Annotation, AnnotationStatus, Review, Submission
from sources.services.annotations import annotation_create, annotation_delete, annotation_update
from sources.services.reviews import review_create

from ..factories import SessionFactory

UNDO = "/p/class/undo/"


@pytest.fixture
def tag(team, passages, themes) -> Annotation:
    return annotation_create(
        passage=passages[1], theme=themes["energy"], author=team.annotator, start=0, end=5
    )


def test_undo_takes_back_a_note_then_the_tag_itself(team, tag, client_as):
    annotation_update(annotation=tag, note="A first thought.", editor=team.annotator)
    client = client_as(team.annotator)

    response = client.post(UNDO, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Undid the change to the Energy tag." in response.content.decode()
    assert 'hx-post="/p/class/undo/"' in response.content.decode()  # Undo again, one step further
    assert '"undone"' in response["HX-Trigger"]
    assert Annotation.objects.get(pk=tag.pk).note == ""

    plain = client.post(UNDO)
    assert plain.status_code == 302 and plain["Location"].endswith("#passage-1")
    assert not Annotation.objects.filter(pk=tag.pk).exists()
    reasons = list(Annotation.history.filter(id=tag.pk).values_list("history_change_reason", flat=True))
    assert sum((reason or "").startswith("undo annotation-") for reason in reasons) == 2


def test_undo_brings_back_a_deleted_tag_under_its_id(team, tag, client_as):
    annotation_delete(annotation=tag, editor=team.annotator)
    client_as(team.annotator).post(UNDO)
    assert Annotation.objects.get(pk=tag.pk).quote == tag.quote


def test_undo_takes_back_only_ones_own_writes(team, tag, passages, themes, client_as):
    annotation_create(passage=passages[2], theme=themes["energy"], author=team.annotator2)
    client_as(team.annotator).post(UNDO)
    assert list(Annotation.objects.values_list("author__username", flat=True)) == ["annotator2"]
    response = client_as(team.annotator).post(UNDO, headers={"HX-Request": "true"})
    assert "Nothing of yours to undo here." in response.content.decode()


def test_a_leads_undo_takes_back_a_review_decision_and_the_status_it_set(team, tag, client_as):
    review_create(reviewer=team.instructor, decision="reject", comment="Too short.", annotation=tag)
    assert Annotation.objects.get(pk=tag.pk).status == AnnotationStatus.REJECTED
    client_as(team.instructor).post(UNDO)
    assert not Review.objects.exists()
    assert Annotation.objects.get(pk=tag.pk).status == AnnotationStatus.DRAFT


def test_a_submitted_session_tag_cannot_be_undone_by_its_author(team, source, passages, themes, client_as):
    session = SessionFactory(project=team.project, closes_at=timezone.now() + timezone.timedelta(hours=1))
    session.sources.set([source])
    session.participants.set([team.annotator])
    annotation_create(passage=passages[1], theme=themes["energy"], author=team.annotator, session=session)
    Submission.objects.create(session=session, user=team.annotator)
    response = client_as(team.annotator).post(UNDO, headers={"HX-Request": "true"})
    assert "already submitted" in response.content.decode()
    assert Annotation.objects.filter(session=session).count() == 1


def test_observers_have_nothing_to_undo(team, client_as):
    assert client_as(team.observer).post(UNDO).status_code == 403
    assert client_as(team.outsider).post(UNDO).status_code == 404
