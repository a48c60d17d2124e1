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
    assert "E-mail: no e-mail." in client.get(reverse("notifications")).text  # a student, until they opt in


def test_the_settings_page_keeps_the_mail_choice_and_refuses_another(team):
    client = signed_in(team.annotator2)
    settings_page = reverse("notification-settings")
    assert 'value="off" checked' in client.get(settings_page).text
    refused = client.post(settings_page, {"mail": "hourly"}, follow=True)
    assert "Choose one of: off, immediate, daily" in refused.text
    assert not NotificationSettings.objects.exists()
    saved = client.post(settings_page, {"mail": "daily"}, follow=True)
    assert "E-mail for notifications: a daily digest." in saved.text
    assert NotificationSettings.objects.get(user=team.annotator2).mail == "daily"
    assert 'value="daily" checked' in client.get(settings_page).text
    assert 'value="immediate" checked' in signed_in(team.instructor).get(settings_page).text  # leads: each
    assert Client().get(settings_page).status_code == 302  # to the log-in page


def test_a_comment_is_edited_and_deleted_from_the_margin_and_the_comments_page(team):
    source = SourceFactory(project=team.project, paragraphs=["Energy and security.", "Pipelines."])
    passage = source.passages.get(ordinal=0)
    annotator, colleague = signed_in(team.annotator), signed_in(team.annotator2)
    annotator.post(reverse("comment-new", args=["class", passage.pk]), {"text": "Frist thought."})
    first = Comment.objects.get()
    colleague.post(reverse("comment-new", args=["class", passage.pk]), {"text": "Typo!", "parent": first.pk})
    reader = reverse("reader", args=["class", source.pk])
    edit = reverse("comment-edit", args=["class", first.pk])
    delete = reverse("comment-delete", args=["class", first.pk])
    assert edit in annotator.get(reader).text and edit not in colleague.get(reader).text
    assert delete not in colleague.get(reader).text

    answer = annotator.post(edit, {"text": "First thought."}, headers={"HX-Request": "true"})
    assert answer.status_code == 200 and "First thought." in answer.text and "edited" in answer.text
    assert colleague.post(edit, {"text": "Mine."}).status_code == 403
    assert signed_in(team.outsider).post(edit, {"text": "x"}).status_code == 404
    empty = annotator.post(edit, {"text": " "}, headers={"HX-Request": "true"})
    assert empty.status_code == 422 and "Write something" in empty.text
    assert Comment.objects.get(pk=first.pk).text == "First thought."

    assert colleague.post(delete).status_code == 403
    deleted = annotator.post(delete, headers={"HX-Request": "true"})
    assert deleted.status_code == 200 and "Comment deleted" in deleted.text and "Typo!" in deleted.text
    assert "First thought." not in deleted.text

    page = reverse("comments", args=["class"])
    listing = colleague.get(page).text
    reply = Comment.objects.get(text="Typo!")
    assert "Deleted; its replies are kept." in listing
    assert reverse("comment-edit", args=["class", reply.pk]) in listing
    moved = colleague.post(
        reverse("comment-edit", args=["class", reply.pk]), {"text": "Fixed, thanks.", "back": "comments"}
    )
    assert moved.status_code == 302 and moved["Location"] == f"{page}#comment-{reply.pk}"
    gone = colleague.post(
        reverse("comment-delete", args=["class", reply.pk]), {"back": "comments"}, follow=True
    )
    assert "Comment deleted." in gone.text and "No comments yet." in gone.text
    assert not Comment.objects.exists()  # the last reply took the deleted comment it kept
