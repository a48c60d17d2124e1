"""Invitations into a project: a join link anyone signed in may use (the class code), or one person's
e-mail invitation, used once."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from .project import Project, Role


def new_token() -> str:
    return secrets.token_urlsafe(24)


class InvitationKind(models.TextChoices):
    LINK = "link", "Join link"
    EMAIL = "email", "E-mail invitation"


class Invitation(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(max_length=8, choices=InvitationKind.choices)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ANNOTATOR)
    email = models.EmailField(blank=True, help_text="E-mail invitations: the person invited.")
    name = models.CharField(max_length=200, blank=True, help_text="The name a roster gave.")
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    uses = models.PositiveIntegerField(default=0, help_text="People who joined through it.")

    class Meta:
        ordering = ["project", "-created", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="invitation_role_valid"),
            models.CheckConstraint(
                condition=models.Q(kind=InvitationKind.LINK, email="")
                | models.Q(kind=InvitationKind.EMAIL) & ~models.Q(email=""),
                name="invitation_email_matches_kind",
            ),
            # One pending invitation per address and project: inviting again re-sends it.
            models.UniqueConstraint(
                fields=["project", "email"],
                condition=models.Q(kind="email", revoked_at__isnull=True, accepted_at__isnull=True),
                name="invitation_one_pending_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.project} as {self.role}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        """Open: not revoked, not expired, and an e-mail invitation not yet accepted."""
        if self.revoked_at is not None or self.is_expired:
            return False
        return self.kind == InvitationKind.LINK or self.accepted_at is None
