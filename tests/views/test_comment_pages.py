"""Comments in the reader's margin and on the project's comments page; the notifications page and
the e-mail choice (docs/collaboration.md)."""

from django.test import Client
from django.urls import reverse

from sources.models import Comment, Notification, NotificationSettings

from ..factories import SourceFactory


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_comment_and_a_reply_from_the_reader_show_in_its_margin_and_the_comments_page(team):
    source = SourceFactory(project=team.project, paragraphs=["Energy and security.", "Pipelines."])
    passage = source.passages.get(ordinal=0)
    annotator, colleague = signed_in(team.annotator), signed_in(team.annotator2)
    url = reverse("comment-new", args=["class", passage.pk])
    answer = annotator.post(url, {"text": "Which one, @annotator2?"}, headers={"HX-Request": "true"})
    assert answer.status_code == 200 and "Which one, @annotator2?" in answer.text
    assert 'id="passage-0"' in answer.text  # the passage, re-rendered for htmx
    first = Comment.objects.get()
    reply = colleague.post(url, {"text": "Both.", "parent": first.pk})
    assert reply.status_code == 302 and reply["Location"].endswith("#passage-0")
    reader = colleague.get(reverse("reader", args=["class", source.pk])).text
    assert "Which one, @annotator2?" in reader and "Both." in reader and "is-reply" in reader
    assert Notification.objects.filter(recipient=team.annotator, kind="reply").exists()

    toggle = reverse("comment-toggle", args=["class", first.pk])
    assert colleague.post(toggle).status_code == 403  # not the thread's author
    assert annotator.post(toggle, headers={"HX-Request": "true"}).status_code == 200
    assert Comment.objects.get(pk=first.pk).resolved_at is not None

    page = reverse("comments", args=["class"])
    assert "Both." in colleague.get(page).text
    assert "Which one" not in colleague.get(page, {"state": "open"}).text
    assert "Both." in colleague.get(page, {"state": "mine"}).text
    assert "Both." not in colleague.get(page, {"state": "mentioning"}).text
    assert "Which one" in colleague.get(page, {"state": "mentioning"}).text
    assert colleague.get(page, {"state": "nonsense", "page": "x"}).status_code == 200


def test_bad_comments_from_the_reader_are_refused_with_a_message(team):
    source = SourceFactory(project=team.project, paragraphs=["Energy."], title="Other")
    passage = source.passages.get()
    client = signed_in(team.annotator)
    url = reverse("comment-new", args=["class", passage.pk])
    empty = client.post(url, {"text": "  "}, headers={"HX-Request": "true"})
    assert empty.status_code == 422 and "Write something" in empty.text
    stray = client.post(url, {"text": "Reply", "parent": "999999"}, headers={"HX-Request": "true"})
    assert stray.status_code == 422 and "not on this passage" in stray.text
    assert signed_in(team.observer).post(url, {"text": "Observing."}).status_code == 403
    assert signed_in(team.outsider).post(url, {"text": "Hello."}).status_code == 404
    assert Comment.objects.count() == 0


def test_the_notifications_page_lists_marks_read_and_keeps_the_mail_choice(team):
    source = SourceFactory(project=team.project, paragraphs=["Energy."])
    signed_in(team.annotator).post(
        reverse("comment-new", args=["class", source.passages.get().pk]), {"text": "@annotator2 see"}
    )
    client = signed_in(team.annotator2)
    page = client.get(reverse("notifications"))
    assert "annotator mentioned you: @annotator2 see" in page.text and "is-unread" in page.text
    client.post(reverse("notifications-read"))
    assert not Notification.objects.filter(recipient=team.annotator2, read_at__isnull=True).exists()
    assert "is-unread" not in client.get(reverse("notifications")).text
    assert client.post(reverse("notifications-mail"), {"mail": "hourly"}).status_code == 302
    assert not NotificationSettings.objects.exists()
    client.post(reverse("notifications-mail"), {"mail": "immediate"})
    assert NotificationSettings.objects.get(user=team.annotator2).mail == "immediate"
    assert 'value="immediate" checked' in client.get(reverse("notifications")).text
