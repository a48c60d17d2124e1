"""Notifications: what a person is told (a reply, a mention, a rejected tag, a released grade, an
invitation), in the page's bell and, if they chose so, by e-mail (docs/collaboration.md)."""

from django.conf import settings
from django.db import models

from .project import Project


class NotificationKind(models.TextChoices):
    REPLY = "reply", "A reply to your comment"
    MENTION = "mention", "You were mentioned"
    TAG_REJECTED = "tag_rejected", "Your tag was rejected"
    GRADE_RELEASED = "grade_released", "Your grade was released"
    INVITATION = "invitation", "You were invited"
    SESSION_OPENING = "session_opening", "A session opens within a day"
    SESSION_CLOSING = "session_closing", "A session closes within a day"


# Reminders are sent once per person and session: the database refuses a second one.
REMINDERS = (NotificationKind.SESSION_OPENING, NotificationKind.SESSION_CLOSING)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=500, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values), name="notification_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "object_id"],
                condition=models.Q(kind__in=REMINDERS),
                name="reminder_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class MailChoice(models.TextChoices):
    OFF = "off", "No e-mail"
    IMMEDIATE = "immediate", "An e-mail for each"
    DAILY = "daily", "A daily digest"


class NotificationSettings(models.Model):
    """A person's choice of e-mail; without a row, owners and instructors get e-mail, students none.
    `digest_sent` is when their last daily digest went out."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    mail = models.CharField(max_length=16, choices=MailChoice.choices, default=MailChoice.OFF)
    digest_sent = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.mail}"
