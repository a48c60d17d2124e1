"""The worker's periodic round: a daily digest per person who chose one, and reminders of sessions
opening or closing within a day; each sent once, through Django's e-mail framework (the locmem
outbox in tests), whatever how often the round runs (docs/collaboration.md, "Notifications")."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sources.models import MailChoice, Notification, NotificationSettings, Submission
from sources.services.comments import comment_create
from sources.services.mail_rounds import (
    ROUND_EVERY,
    mail_round,
    mail_round_task,
    mail_rounds_scheduled,
)
from sources.services.notifications import mail_choice, mail_choose, notification_mail, notifications_read_all

from ..factories import SessionFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def passage(team):
    return SourceFactory(
        project=team.project, paragraphs=["Energy and security.", "Pipelines."]
    ).passages.first()


@pytest.fixture(autouse=True)
def addresses(team, settings) -> None:
    settings.SITE_URL = "https://annot.example.org"
    for user in (team.annotator, team.annotator2, team.instructor):
        user.email = f"{user.username}@example.org"
        user.save()


def mention(passage, author, person, text: str = "look") -> None:
    comment_create(passage=passage, author=author, text=f"@{person.username} {text}")


def test_a_daily_digest_gathers_the_unread_notifications_once_a_day(
    team, passage, django_capture_on_commit_callbacks
):
    mail_choose(user=team.annotator2, mail=MailChoice.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        for text in ("first", "second", "third"):
            mention(passage, team.annotator, team.annotator2, text)
    Notification.objects.filter(recipient=team.annotator2, text__endswith="first").update(
        read_at=timezone.now()
    )
    assert not DBTaskResult.objects.filter(task_path__endswith="notification_mail_task").exists()

    now = timezone.now()
    assert mail_round(now).digests == 1
    (digest,) = mail.outbox
    assert digest.to == ["annotator2@example.org"] and digest.subject == "Your daily digest: 2 notifications"
    assert "annotator mentioned you: @annotator2 second" in digest.body and "third" in digest.body
    assert "first" not in digest.body  # read in the bell already
    assert "https://annot.example.org/p/class/sources/" in digest.body
    assert "https://annot.example.org/settings/notifications/" in digest.body

    assert mail_round(now).digests == 0  # the same round again, or a second worker: nothing more
    mention(passage, team.annotator, team.annotator2, "fourth")
    assert mail_round(now + timedelta(hours=2)).digests == 0  # not a day yet
    assert mail_round(now + timedelta(days=1, minutes=1)).digests == 1
    assert len(mail.outbox) == 2 and "fourth" in mail.outbox[1].body and "second" not in mail.outbox[1].body
    assert mail_round(now + timedelta(days=3)).digests == 0  # nothing new: no empty digest


def test_students_get_no_mail_until_they_opt_in_and_leads_get_each(team, passage):
    assert mail_choice(team.annotator) == MailChoice.OFF
    assert mail_choice(team.instructor) == MailChoice.IMMEDIATE
    mention(passage, team.annotator2, team.annotator)
    assert mail_round(timezone.now()).digests == 0 and mail.outbox == []
    mail_choose(user=team.annotator, mail=MailChoice.DAILY)
    assert mail_round(timezone.now()).digests == 1


def test_a_refused_digest_is_due_again_at_the_next_round(team, passage, monkeypatch):
    mail_choose(user=team.annotator2, mail=MailChoice.DAILY)
    mention(passage, team.annotator, team.annotator2)

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("sources.services.notifications.send_mail", refuse)
    assert mail_round(timezone.now()).digests == 0
    assert NotificationSettings.objects.get(user=team.annotator2).digest_sent is None
    monkeypatch.undo()
    assert mail_round(timezone.now()).digests == 1 and len(mail.outbox) == 1


def test_a_digest_carries_nothing_a_blind_session_hides(team, passage):
    session = SessionFactory(project=team.project, blind=True)
    session.sources.set([passage.source])
    session.participants.set([team.annotator, team.annotator2])
    mail_choose(user=team.annotator, mail=MailChoice.DAILY)
    comment_create(
        passage=passage, author=team.annotator2, text="@annotator it is zqBLINDzq", session=session
    )
    mention(passage, team.instructor, team.annotator, "outside the session")
    mail_round(timezone.now())
    (digest,) = mail.outbox
    assert "outside the session" in digest.body and "zqBLIND" not in digest.body
    notifications_read_all(user=team.annotator)
    for user in (team.annotator, team.annotator2):
        Submission.objects.create(session=session, user=user)
    assert mail_round(timezone.now() + timedelta(days=2)).digests == 0


def test_reminders_of_sessions_opening_or_closing_within_a_day_are_sent_once(
    team, passage, django_capture_on_commit_callbacks
):
    now = timezone.now()
    opening = SessionFactory(project=team.project, name="Week 2", opens_at=now + timedelta(hours=3))
    closing = SessionFactory(project=team.project, name="Week 1", closes_at=now + timedelta(hours=5))
    later = SessionFactory(
        project=team.project,
        name="Week 3",
        opens_at=now + timedelta(hours=30),
        closes_at=now + timedelta(days=2),
    )
    far = SessionFactory(project=team.project, name="Term", closes_at=now + timedelta(days=3))
    for session in (opening, closing, later, far):
        session.participants.set([team.annotator, team.annotator2])
    Submission.objects.create(session=closing, user=team.annotator)  # done: no reminder to close
    mail_choose(user=team.annotator2, mail=MailChoice.IMMEDIATE)

    with django_capture_on_commit_callbacks(execute=True):
        assert mail_round(now).reminders == 3
    told = sorted(Notification.objects.values_list("recipient__username", "kind", "object_id"))
    assert told == [
        ("annotator", "session_opening", opening.pk),
        ("annotator2", "session_closing", closing.pk),
        ("annotator2", "session_opening", opening.pk),
    ]
    assert mail_round(now).reminders == 0
    assert mail_round(now + timedelta(hours=2)).reminders == 0  # still within the day: once is enough
    closing_note = Notification.objects.get(kind="session_closing")
    assert (
        "“Week 1” closes at" in closing_note.text and closing_note.url == f"/p/class/sessions/{closing.pk}/"
    )

    # Immediate mail for who chose it, queued for the worker and sent once.
    queued = DBTaskResult.objects.filter(task_path__endswith="notification_mail_task")
    assert sorted(task.args_kwargs["args"][0] for task in queued) == sorted(
        Notification.objects.filter(recipient=team.annotator2).values_list("pk", flat=True)
    )
    for notification in Notification.objects.filter(recipient=team.annotator2):
        assert notification_mail(notification_id=notification.pk)
        assert not notification_mail(notification_id=notification.pk)
    assert sorted(message.subject for message in mail.outbox) == [
        "A session closes within a day",
        "A session opens within a day",
    ]
    with pytest.raises(IntegrityError):  # the database refuses a second reminder
        Notification.objects.create(recipient=team.annotator, kind="session_opening", object_id=opening.pk)


def test_a_starting_worker_queues_one_round_and_each_round_queues_the_next():
    assert mail_rounds_scheduled() is True
    assert mail_rounds_scheduled() is False  # one waits already
    waiting = DBTaskResult.objects.get(task_path=mail_round_task.module_path)
    waiting.delete()
    before = timezone.now()
    mail_round_task.call()
    (next_round,) = DBTaskResult.objects.filter(task_path=mail_round_task.module_path)
    assert next_round.run_after >= before + ROUND_EVERY - timedelta(seconds=1)
