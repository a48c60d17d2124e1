"""The background worker's periodic round: reminders of sessions opening or closing within a day, and
each daily digest that is due (docs/collaboration.md, "Notifications").

A round is a task that, once run, queues the next one `ROUND_EVERY` later; `mail_rounds_scheduled`
(called when a worker starts) queues the first unless one is waiting already. Every round may run
twice, or late, or in two workers at once: a reminder is one row per person, session and kind (the
database refuses a second), and a digest is claimed by moving its person's `digest_sent` forward
before it is sent, so nothing is ever sent twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend, task
from django_tasks_db.models import DBTaskResult

from ..models import MailChoice, Notification, NotificationKind, NotificationSettings, Session, Submission
from .notifications import mail_footer, mail_send, notify, site_link

ROUND_EVERY = timedelta(minutes=15)
REMIND_WITHIN = timedelta(hours=24)
DIGEST_EVERY = timedelta(days=1)
DIGEST_ITEMS = 50  # listed in one digest; the rest are counted


@dataclass
class RoundReport:
    reminders: int = 0
    digests: int = 0


@task()
def mail_round_task() -> None:
    mail_round()
    mail_round_next()


def mail_round_next() -> bool:
    """Queue the next round `ROUND_EVERY` from now; False where the task backend cannot defer a task
    (there is no worker to run rounds then: `manage.py run_worker` runs the database backend)."""
    if not default_task_backend.supports_defer:
        return False
    mail_round_task.using(run_after=timezone.now() + ROUND_EVERY).enqueue()
    return True


def mail_rounds_scheduled() -> bool:
    """Queue a round now unless one is waiting already (a worker starting); True when one was queued."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=mail_round_task.module_path
    )
    if not default_task_backend.supports_defer or waiting.exists():
        return False
    mail_round_task.enqueue()
    return True


def mail_round(now: datetime | None = None) -> RoundReport:
    now = now or timezone.now()
    return RoundReport(reminders=session_reminders(now), digests=digests_send(now))


# --- reminders ---------------------------------------------------------------------------------


def _remind(session: Session, person: AbstractBaseUser, kind: str, at: datetime) -> bool:
    """One reminder, unless this person had it already (then the database refuses it)."""
    verb = "opens" if kind == NotificationKind.SESSION_OPENING else "closes"
    text = f"The session “{session.name}” {verb} at {at:%Y-%m-%d %H:%M} UTC."
    if kind == NotificationKind.SESSION_CLOSING:
        text += " Submit your work before then."
    try:
        with transaction.atomic():
            notify(
                recipient=person,
                kind=kind,
                text=text,
                url=reverse("session", args=[session.project.slug, session.pk]),
                project=session.project,
                object_id=session.pk,
            )
    except IntegrityError:
        return False
    return True


def session_reminders(now: datetime) -> int:
    """Tell each participant of a session that opens, or closes, within `REMIND_WITHIN` (closing: those
    who have not submitted); once per person, session and kind. The number of reminders sent."""
    soon = now + REMIND_WITHIN
    sent = 0
    due = [
        (NotificationKind.SESSION_OPENING, Q(opens_at__gt=now, opens_at__lte=soon), "opens_at"),
        (NotificationKind.SESSION_CLOSING, Q(opens_at__lte=now, closes_at__gt=now, closes_at__lte=soon), ""),
    ]
    for kind, when, field in due:
        told = Notification.objects.filter(kind=kind).values("recipient_id", "object_id")
        for session in Session.objects.filter(when).select_related("project"):
            people = session.participants.exclude(
                pk__in=told.filter(object_id=session.pk).values("recipient_id")
            )
            if kind == NotificationKind.SESSION_CLOSING:
                people = people.exclude(pk__in=Submission.objects.filter(session=session).values("user_id"))
            at = session.opens_at if field else session.closes_at
            sent += sum(_remind(session, person, kind, at) for person in people)
    return sent


# --- daily digests -----------------------------------------------------------------------------


def _digest_body(notifications: list[Notification], more: int) -> str:
    lines = [f"What happened since your last digest ({len(notifications) + more} unread):", ""]
    for notification in notifications:
        where = f" [{notification.project.name}]" if notification.project else ""
        lines.append(f"- {notification.text}{where}")
        if notification.url:
            lines.append(f"  {site_link(notification.url)}")
    if more:
        lines.append(f"… and {more} more on {site_link(reverse('notifications'))}")
    return "\n".join([*lines, "", mail_footer()])


def _claimed(chosen: NotificationSettings, now: datetime) -> bool:
    """Move the person's `digest_sent` to `now` if their digest is due: only one round wins."""
    due = Q(digest_sent__isnull=True) | Q(digest_sent__lte=now - DIGEST_EVERY)
    return bool(
        NotificationSettings.objects.filter(due, pk=chosen.pk, mail=MailChoice.DAILY).update(digest_sent=now)
    )


def digest_send(chosen: NotificationSettings, now: datetime) -> bool:
    """One person's digest of their unread notifications not e-mailed yet, if a day passed since
    the last one; they are marked e-mailed. False when none was due or the mail server refused (the
    digest is then due again at the next round)."""
    user = chosen.user
    pending = Notification.objects.filter(
        recipient=user, emailed_at__isnull=True, read_at__isnull=True, created__lte=now
    )
    if not user.email or not pending.exists() or not _claimed(chosen, now):
        return False
    listed = list(pending.select_related("project").order_by("-id")[:DIGEST_ITEMS])
    more = pending.count() - len(listed)
    subject = f"Your daily digest: {len(listed) + more} notification{'s' if len(listed) + more != 1 else ''}"
    if not mail_send(subject, _digest_body(listed, more), user.email):
        NotificationSettings.objects.filter(pk=chosen.pk).update(digest_sent=chosen.digest_sent)
        return False
    pending.update(emailed_at=now)
    return True


def digests_send(now: datetime) -> int:
    """Every digest that is due; the number sent."""
    due = Q(digest_sent__isnull=True) | Q(digest_sent__lte=now - DIGEST_EVERY)
    people = NotificationSettings.objects.filter(due, mail=MailChoice.DAILY).select_related("user")
    return sum(digest_send(chosen, now) for chosen in people)
