"""Comments on passages and spans (`/api/comments/`): threads, replies, @mentions, editing and
deleting one's own, resolving and reopening, the filters, and the events and notifications they
leave (docs/collaboration.md)."""

import pytest

from sources.models import Comment, Event, Notification

from .conftest import World, url


def post(api_as, user, **body):
    return api_as(user).post(url("comment-list"), body, format="json")


def test_a_span_comment_with_a_mention_and_a_reply_notify_the_people_named(world: World, api_as):
    team = world.team
    made = post(
        api_as, team.annotator, passage=world.passages[0].pk, start=0, end=5,
        text="Is this terrorism, @annotator2? (@nobody is not a member)",
    )  # fmt: skip
    assert made.status_code == 201, made.content
    comment = made.json()
    assert comment["quote"] == "China" and comment["mentions"] == ["annotator2"]
    assert comment["resolved"] is False and comment["parent"] is None
    (mention,) = Notification.objects.filter(recipient=team.annotator2)
    assert mention.kind == "mention" and "Is this terrorism" in mention.text
    assert mention.url.endswith(f"#passage-{world.passages[0].ordinal}")

    reply = post(
        api_as, team.annotator2, passage=world.passages[0].pk, parent=comment["id"], text="I think so."
    )
    assert reply.status_code == 201 and reply.json()["parent"] == comment["id"]
    assert Notification.objects.filter(recipient=team.annotator, kind="reply").count() == 1
    kinds = list(Event.objects.filter(kind__startswith="comment.").values_list("kind", flat=True))
    assert kinds == ["comment.created", "comment.created"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "   "}, "text"),
        ({"text": "x", "start": 3, "end": 999}, "end"),
        ({"text": "x", "start": 5, "end": 2}, "end"),
        ({"text": "x", "passage": 999999}, "passage"),
        ({"text": "x" * 10_001}, "text"),
    ],
)
def test_bad_comments_are_refused_naming_the_field(world: World, api_as, body, field):
    before = Comment.objects.count()
    response = post(api_as, world.team.annotator, **{"passage": world.passages[0].pk, **body})
    assert response.status_code == 400 and field in response.json(), response.content
    assert Comment.objects.count() == before


def test_a_reply_on_another_passage_is_refused(world: World, api_as):
    first = post(api_as, world.team.annotator, passage=world.passages[0].pk, text="Here.").json()
    response = post(
        api_as, world.team.annotator, passage=world.passages[1].pk, parent=first["id"], text="No."
    )
    assert response.status_code == 400 and "parent" in response.json()


def test_only_its_author_edits_a_comment_and_leads_may_delete_it(world: World, api_as):
    team = world.team
    made = post(api_as, team.annotator, passage=world.passages[0].pk, text="First thought.").json()
    detail = url("comment-detail", pk=made["id"])
    assert api_as(team.annotator2).patch(detail, {"text": "Mine now"}, format="json").status_code == 403
    edited = api_as(team.annotator).patch(detail, {"text": "Second thought, @annotator2."}, format="json")
    assert edited.status_code == 200 and edited.json()["edited"] is not None
    assert edited.json()["mentions"] == ["annotator2"]
    assert api_as(team.annotator2).delete(detail).status_code == 403
    assert api_as(team.instructor).delete(detail).status_code == 204
    assert not Comment.objects.filter(pk=made["id"]).exists()


def test_a_thread_is_resolved_and_reopened_and_the_filters_follow(world: World, api_as):
    team = world.team
    first = post(api_as, team.annotator, passage=world.passages[0].pk, text="Open question.").json()
    post(api_as, team.annotator2, passage=world.passages[0].pk, parent=first["id"], text="@annotator ok")
    other = post(api_as, team.annotator2, passage=world.passages[1].pk, text="Another.").json()
    resolve = url("comment-resolve", pk=first["id"])
    assert api_as(team.annotator2).post(resolve).status_code == 403  # not the thread's author
    assert api_as(team.annotator).post(resolve).json()["resolved"] is True

    def listed(user, **query) -> set[str]:
        return {c["text"] for c in api_as(user).get(url("comment-list"), query).json()["results"]}

    assert listed(team.annotator, state="open") == {"Another."}
    assert listed(team.annotator, state="resolved") == {"Open question.", "@annotator ok"}
    assert listed(team.annotator, state="mine") == {"Open question."}
    assert listed(team.annotator, state="mentioning") == {"@annotator ok"}
    assert listed(team.observer, project="class") == {"Open question.", "@annotator ok", "Another."}
    assert listed(team.outsider) == set()
    assert api_as(team.instructor).post(url("comment-reopen", pk=first["id"])).json()["resolved"] is False
    assert listed(team.annotator, state="open") == {"Open question.", "@annotator ok", "Another."}
    reply_resolve = api_as(team.annotator).post(url("comment-resolve", pk=other["id"] - 1))
    assert reply_resolve.status_code == 400  # a reply is not a thread
    assert api_as(team.annotator).get(url("comment-list"), {"state": "everything"}).status_code == 400


def test_notifications_are_listed_newest_first_and_marked_read(world: World, api_as):
    team = world.team
    for text in ("@annotator2 one", "@annotator2 two"):
        post(api_as, team.annotator, passage=world.passages[0].pk, text=text)
    listed = api_as(team.annotator2).get(url("notification-list")).json()["results"]
    assert [n["text"][-3:] for n in listed] == ["two", "one"]
    assert {n["kind"] for n in listed} == {"mention"} and not any(n["read"] for n in listed)
    assert listed[0]["project"] == "class" and listed[0]["actor"] == "annotator"
    read = api_as(team.annotator2).post(url("notification-read", pk=listed[1]["id"]))
    assert read.status_code == 200 and read.json()["read"] is True
    unread = api_as(team.annotator2).get(url("notification-list"), {"unread": "true"}).json()["results"]
    assert [n["id"] for n in unread] == [listed[0]["id"]]
    assert api_as(team.annotator).post(url("notification-read", pk=listed[0]["id"])).status_code == 404
