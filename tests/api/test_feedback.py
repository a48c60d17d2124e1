"""Classroom feedback through the API: answer-key scores, rubric grades, discussions, history and undo."""

import csv
import io

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from sources.models import Annotation, Claim, Evidence, Session

from .conftest import url

pytestmark = pytest.mark.django_db


def client(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def close(session: Session) -> None:
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(
        opens_at=now - timezone.timedelta(days=2), closes_at=now - timezone.timedelta(minutes=1)
    )


def tag(user, world, ordinal: int, theme) -> None:
    body = {"passage": world.passages[ordinal].pk, "theme": theme.pk, "session": world.session.pk}
    response = client(user).post(url("annotation-list"), body)
    assert response.status_code == 201, response.json()


@pytest.fixture
def keyed(world):
    """The instructor (not a participant) builds the key: energy on passages 0 and 1. annotator tags
    energy on 0, 1 and 2; annotator2 tags energy on 3."""
    team = world.team
    for n in (0, 1):
        tag(team.instructor, world, n, world.energy)
    for n in (0, 1, 2):
        tag(team.annotator, world, n, world.energy)
    tag(team.annotator2, world, 3, world.energy)
    response = client(team.instructor).put(
        url("session-answer-key", pk=world.session.pk), {"author": team.instructor.pk}
    )
    assert response.status_code == 200
    return world


def energy_row(rows: list, username: str) -> dict:
    [row] = [r for r in rows if r["username"] == username]
    return next(t for t in row["themes"] if t["theme"] == "energy")


def test_scores_against_the_key_equal_a_hand_computation(keyed):
    rows = (
        client(keyed.team.instructor).get(url("session-scores", pk=keyed.session.pk)).json()["participants"]
    )
    assert {r["username"] for r in rows} == {"annotator", "annotator2"}
    energy = energy_row(rows, "annotator")
    # 4 passages; key {0,1}, annotator {0,1,2}: precision 2/3, recall 1;
    # kappa: p_o = 3/4, p_e = 3/4*2/4 + 1/4*2/4 = 1/2, kappa = (3/4 - 1/2) / (1/2) = 0.5
    assert energy["precision"] == pytest.approx(2 / 3, abs=1e-6)
    assert energy["recall"] == pytest.approx(1.0)
    assert energy["kappa"] == pytest.approx(0.5)
    other = energy_row(rows, "annotator2")
    # annotator2 {3}: precision 0, recall 0; p_o = 1/4, p_e = 1/4*2/4 + 3/4*2/4 = 1/2, kappa = -0.5
    assert (other["precision"], other["recall"]) == (0.0, 0.0)
    assert other["kappa"] == pytest.approx(-0.5)


def test_annotators_see_only_their_own_scores_and_only_after_closing(keyed):
    annotator = client(keyed.team.annotator)
    before = annotator.get(url("session-scores", pk=keyed.session.pk))
    assert before.status_code == 403
    assert "closed" in before.json()["detail"]
    close(keyed.session)
    rows = annotator.get(url("session-scores", pk=keyed.session.pk)).json()["participants"]
    assert [r["username"] for r in rows] == ["annotator"]
    assert client(keyed.team.observer).get(url("session-scores", pk=keyed.session.pk)).status_code == 403


def test_scores_without_an_answer_key_say_so(world):
    Session.objects.filter(pk=world.session.pk).update(answer_key_author=None)
    response = client(world.team.instructor).get(url("session-scores", pk=world.session.pk))
    assert response.status_code == 409
    assert "no answer key" in response.json()["detail"]


def test_grades_are_invisible_to_students_until_released_and_export_as_csv(world):
    lead, student = client(world.team.instructor), client(world.team.annotator)
    rubric = {"criteria": [{"name": "Coverage", "max_points": 5}, {"name": "Precision", "max_points": 3}]}
    criteria = lead.put(url("session-rubric", pk=world.session.pk), rubric, format="json").json()["criteria"]
    scores = {str(criteria[0]["id"]): 4, str(criteria[1]["id"]): 2.5}
    grade_url = url("session-grade", pk=world.session.pk, user_id=world.team.annotator.pk)
    graded = lead.put(grade_url, {"scores": scores, "feedback": "Good eye for energy."}, format="json")
    assert graded.status_code == 200, graded.json()
    assert graded.json()["total"] == "6.50" and graded.json()["max_total"] == 8

    assert student.get(url("session-grades", pk=world.session.pk)).json() == []
    assert lead.post(url("session-grades-release", pk=world.session.pk)).json() == {"released": 1}
    [mine] = student.get(url("session-grades", pk=world.session.pk)).json()
    assert mine["feedback"] == "Good eye for energy."
    assert [s["points"] for s in mine["scores"]] == ["4.00", "2.50"]
    assert client(world.team.annotator2).get(url("session-grades", pk=world.session.pk)).json() == []

    response = lead.get(url("session-gradebook", pk=world.session.pk))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        {
            "username": "annotator", "Coverage": "4.00", "Precision": "2.50", "total": "6.50",
            "max_total": "8", "released": rows[0]["released"], "feedback": "Good eye for energy.",
        }
    ]  # fmt: skip
    assert rows[0]["released"]


def test_a_grade_over_the_maximum_is_refused_naming_the_criterion(world):
    lead = client(world.team.instructor)
    [criterion] = lead.put(
        url("session-rubric", pk=world.session.pk),
        {"criteria": [{"name": "Coverage", "max_points": 5}]},
        format="json",
    ).json()["criteria"]
    response = lead.put(
        url("session-grade", pk=world.session.pk, user_id=world.team.annotator.pk),
        {"scores": {str(criterion["id"]): 7}},
        format="json",
    )
    assert response.status_code == 400
    assert "Coverage" in response.json()["scores"][0]


def test_a_disagreement_thread_and_its_decision_show_in_the_history(world):
    annotator, lead = client(world.team.annotator), client(world.team.instructor)
    discussion = world.discussion
    annotator.post(url("discussion-comments", pk=discussion.pk), {"text": "I read it as separatism."})
    decided = lead.post(
        url("discussion-decide", pk=discussion.pk),
        {"decision": "accepted", "reason": "The passage names terrorism.", "approve": [world.annotation.pk]},
        format="json",
    )
    assert decided.status_code == 200, decided.json()
    thread = decided.json()
    assert [c["text"] for c in thread["comments"]] == ["Is this terrorism?", "I read it as separatism."]
    assert (thread["decision"], thread["reason"]) == ("accepted", "The passage names terrorism.")
    history = lead.get(url("history"), {"model": "annotation", "id": world.annotation.pk}).json()
    assert history[0]["action"] == "changed"
    assert history[0]["reason"] == "adjudicated (accepted): The passage names terrorism."
    assert history[0]["username"] == "instructor"
    assert (history[0]["before"]["status"], history[0]["after"]["status"]) == ("draft", "approved")


def test_a_deleted_annotation_and_claim_are_restored_with_their_history(world):
    lead = client(world.team.instructor)
    assert lead.delete(url("annotation-detail", pk=world.annotation.pk)).status_code == 204
    assert lead.delete(url("claim-detail", pk=world.claim.pk)).status_code == 204
    assert not Evidence.objects.filter(pk=world.evidence.pk).exists()

    for model, pk in [("annotation", world.annotation.pk), ("claim", world.claim.pk)]:
        entries = lead.get(url("history"), {"model": model, "id": pk}).json()
        assert entries[0]["action"] == "deleted"
        assert all(e["username"] and e["at"] for e in entries)
        restored = lead.post(url("history-restore", entry_id=entries[0]["id"]))
        assert restored.status_code == 201, restored.json()
        after = lead.get(url("history"), {"model": model, "id": pk}).json()
        assert [e["action"] for e in after][:2] == ["restored", "deleted"]
        assert len(after) == len(entries) + 1

    assert Annotation.objects.get(pk=world.annotation.pk).quote == "China"
    assert Claim.objects.get(pk=world.claim.pk).text == "The SCO is about security first."
    assert Evidence.objects.get(pk=world.evidence.pk).claim_id == world.claim.pk


def test_annotators_cannot_restore_and_outsiders_see_no_history(world):
    entry = client(world.team.owner).get(url("history"), {"model": "claim", "id": world.claim.pk}).json()[0]
    assert client(world.team.annotator).post(url("history-restore", entry_id=entry["id"])).status_code == 403
    outsider = client(world.team.outsider)
    assert outsider.get(url("history"), {"model": "claim", "id": world.claim.pk}).status_code == 404
    assert outsider.post(url("history-restore", entry_id=entry["id"])).status_code == 404
    assert client(world.team.owner).post(url("history-restore", entry_id="claim-abc")).status_code == 404
    assert client(world.team.owner).get(url("history"), {"model": "passage", "id": 1}).status_code == 400


def test_history_of_a_colleague_s_tag_in_a_blind_session_stays_hidden_until_both_submit(world):
    Session.objects.filter(pk=world.session.pk).update(blind=True)
    theirs = client(world.team.annotator2).post(
        url("annotation-list"),
        {"passage": world.passages[2].pk, "theme": world.energy.pk, "session": world.session.pk},
    )
    query = {"model": "annotation", "id": theirs.json()["id"]}
    annotator = client(world.team.annotator)
    assert annotator.get(url("history"), query).status_code == 404
    assert client(world.team.instructor).get(url("history"), query).status_code == 200
    annotator.post(url("session-submit", pk=world.session.pk))
    assert annotator.get(url("history"), query).status_code == 404  # its author has not submitted
    client(world.team.annotator2).post(url("session-submit", pk=world.session.pk))
    assert annotator.get(url("history"), query).status_code == 200
