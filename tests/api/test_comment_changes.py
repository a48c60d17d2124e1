"""Changing and deleting comments through the API: its author edits, a deleted comment with replies
keeps its thread readable, comments written in a blind session are hidden as its work is, and every
change is in the comment's history (docs/collaboration.md)."""

from sources.models import Comment, Notification, Submission

from ..factories import SourceFactory
from .conftest import World, url


def post(api_as, user, **body) -> dict:
    response = api_as(user).post(url("comment-list"), body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def history(api_as, user, comment_id: int):
    return api_as(user).get(url("history"), {"model": "comment", "id": comment_id})


def test_a_comment_is_edited_by_its_author_only_and_unknown_ones_are_404(world: World, api_as):
    team = world.team
    made = post(api_as, team.annotator, passage=world.passages[0].pk, text="First thought.")
    detail = url("comment-detail", pk=made["id"])
    for user in (team.annotator2, team.instructor, team.owner):
        refused = api_as(user).patch(detail, {"text": "Not yours."}, format="json")
        assert refused.status_code == 403 and "author" in refused.json()["detail"]
    assert api_as(team.outsider).patch(detail, {"text": "x"}, format="json").status_code == 404
    assert (
        api_as(team.annotator)
        .patch(url("comment-detail", pk=99999), {"text": "x"}, format="json")
        .status_code
        == 404
    )
    empty = api_as(team.annotator).patch(detail, {"text": "  "}, format="json")
    assert empty.status_code == 400 and "text" in empty.json()
    assert Comment.objects.get(pk=made["id"]).text == "First thought."


def test_deleting_a_comment_with_replies_keeps_the_thread_readable(world: World, api_as):
    team = world.team
    first = post(api_as, team.annotator, passage=world.passages[0].pk, text="Terrorism here, @annotator2?")
    reply = post(api_as, team.annotator2, passage=world.passages[0].pk, parent=first["id"], text="Agreed.")
    assert api_as(team.annotator).delete(url("comment-detail", pk=first["id"])).status_code == 204

    listed = api_as(team.annotator2).get(url("comment-list"), {"passage": world.passages[0].pk}).json()
    by_id = {c["id"]: c for c in listed["results"]}
    assert by_id[first["id"]]["text"] == "" and by_id[first["id"]]["deleted"] is not None
    assert by_id[first["id"]]["mentions"] == [] and by_id[reply["id"]]["parent"] == first["id"]
    assert by_id[reply["id"]]["text"] == "Agreed."
    detail = url("comment-detail", pk=first["id"])
    assert api_as(team.annotator).patch(detail, {"text": "Back"}, format="json").status_code == 400
    assert api_as(team.annotator).delete(detail).status_code == 400
    again = api_as(team.annotator).post(
        url("comment-list"),
        {"passage": world.passages[0].pk, "parent": first["id"], "text": "Hm"},
        format="json",
    )
    assert again.status_code == 400 and "parent" in again.json()

    # The last reply gone, the deleted comment it kept goes too.
    assert api_as(team.annotator2).delete(url("comment-detail", pk=reply["id"])).status_code == 204
    assert not Comment.objects.filter(pk__in=[first["id"], reply["id"]]).exists()


def test_a_comments_history_shows_its_writing_editing_and_deletion(world: World, api_as):
    team = world.team
    made = post(api_as, team.annotator, passage=world.passages[0].pk, text="Draft remark.")
    detail = url("comment-detail", pk=made["id"])
    api_as(team.annotator).patch(detail, {"text": "Better remark."}, format="json")
    api_as(team.annotator).delete(detail)
    entries = history(api_as, team.observer, made["id"])
    assert entries.status_code == 200, entries.content
    assert [e["action"] for e in entries.json()] == ["deleted", "changed", "created"]
    assert [e["username"] for e in entries.json()] == ["annotator"] * 3
    changed = entries.json()[1]
    assert changed["before"]["text"] == "Draft remark." and changed["after"]["text"] == "Better remark."
    assert history(api_as, team.outsider, made["id"]).status_code == 404
    restore = api_as(team.owner).post(url("history-restore", entry_id=entries.json()[0]["id"]))
    assert restore.status_code == 404 and not Comment.objects.filter(pk=made["id"]).exists()


def test_a_comment_written_in_a_blind_session_is_hidden_like_its_work(world: World, api_as):
    team = world.team
    world.session.blind = True
    world.session.save()
    made = post(
        api_as, team.annotator2, passage=world.passages[0].pk, session=world.session.pk,
        text="Clearly terrorism, @annotator.",
    )  # fmt: skip
    assert made["session"] == world.session.pk
    reply = post(api_as, team.instructor, passage=world.passages[0].pk, parent=made["id"], text="Why?")
    assert reply["session"] == world.session.pk  # a reply is in its thread's session

    def texts(user) -> set[str]:
        return {c["text"] for c in api_as(user).get(url("comment-list")).json()["results"]}

    assert texts(team.annotator) == set()
    assert api_as(team.annotator).get(url("comment-detail", pk=made["id"])).status_code == 404
    assert history(api_as, team.annotator, made["id"]).status_code == 404
    assert not Notification.objects.filter(recipient=team.annotator).exists()  # the mention stays unsaid
    assert texts(team.observer) == {"Clearly terrorism, @annotator.", "Why?"}
    for user in (team.annotator, team.annotator2):
        Submission.objects.create(session=world.session, user=user)
    assert texts(team.annotator) == {"Clearly terrorism, @annotator.", "Why?"}

    elsewhere = SourceFactory(project=team.project, paragraphs=["Not in the session."]).passages.get()
    refused = api_as(team.annotator).post(
        url("comment-list"),
        {"passage": elsewhere.pk, "session": world.session.pk, "text": "x"},
        format="json",
    )
    assert refused.status_code == 400 and "session" in refused.json()
