"""Telling people: a notification in the bell (live, through the event stream) and, for those who
chose it, an e-mail for each sent by the background worker (a daily digest: `services.mail_rounds`;
docs/collaboration.md, "Notifications")."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from ..models import MailChoice, Membership, Notification, NotificationSettings, Project
from ..permissions import LEADS
from .events import event_record


def mail_choice(user: AbstractBaseUser) -> str:
    """How `user` gets e-mail (a MailChoice): as they chose, or, until they choose, an e-mail for each
    notification if they lead a project and none if they only study (students opt in)."""
    chosen = NotificationSettings.objects.filter(user=user).values_list("mail", flat=True).first()
    if chosen is not None:
        return chosen
    leads = Membership.objects.filter(user=user, role__in=LEADS).exists()
    return MailChoice.IMMEDIATE if leads else MailChoice.OFF


def mail_wanted(user: AbstractBaseUser) -> bool:
    """Whether `user` gets an e-mail for each notification as it comes."""
    return mail_choice(user) == MailChoice.IMMEDIATE


def notify(
    *,
    recipient: AbstractBaseUser,
    kind: str,
    text: str,
    url: str = "",
    project: Project | None = None,
    actor: AbstractBaseUser | None = None,
    object_id: int | None = None,
) -> Notification | None:
    """Tell `recipient`; nobody is told of what they did themselves."""
    if actor is not None and actor.pk == recipient.pk:
        return None
    notification = Notification.objects.create(
        recipient=recipient,
        project=project,
        kind=kind,
        actor=actor,
        text=text[:500],
        url=url,
        object_id=object_id,
    )
    if project is not None:
        event_record(
            project_id=project.pk,
            kind="notification.created",
            object_id=notification.pk,
            actor=actor,
            recipient_id=recipient.pk,
            data={"notification": kind},
        )
    if recipient.email and mail_wanted(recipient):
        transaction.on_commit(lambda: notification_mail_task.enqueue(notification.pk))
    return notification


@task()
def notification_mail_task(notification_id: int) -> None:
    notification_mail(notification_id=notification_id)


def site_link(path: str) -> str:
    """An absolute link to a path of this site, for e-mail."""
    return f"{settings.SITE_URL.rstrip('/')}{path}" if path else ""


def mail_footer() -> str:
    return f"Change what you receive on {site_link(reverse('notification-settings'))}."


def mail_send(subject: str, body: str, address: str) -> bool:
    """Send one e-mail through Django's e-mail framework; False when the server refused it."""
    try:
        send_mail(subject, body, None, [address])
    except (OSError, smtplib.SMTPException):
        return False
    return True


def notification_mail(*, notification_id: int) -> bool:
    """Send one notification's e-mail, once; False when there is none to send or the server refused."""
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None:
        return False
    body = f"{notification.text}\n\n{site_link(notification.url)}\n\n{mail_footer()}"
    if not mail_send(notification.get_kind_display(), body, notification.recipient.email):
        return False
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def notification_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(*, user: AbstractBaseUser) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def mail_choose(*, user: AbstractBaseUser, mail: str) -> NotificationSettings:
    chosen, _ = NotificationSettings.objects.update_or_create(user=user, defaults={"mail": mail})
    return chosen
