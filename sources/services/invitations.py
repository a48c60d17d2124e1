"""Invitations: join links (the class code), e-mail invitations and rosters, and joining by one."""

import smtplib
from collections.abc import Callable, Iterable
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ..formats.roster import RosterError, read_roster
from ..models import Invitation, InvitationKind, Membership, NotificationKind, Project, Role
from .notifications import notify

# A join link works for anyone who has it, so it never makes an owner; owners invite owners by e-mail.
LINK_ROLES = (Role.INSTRUCTOR, Role.ANNOTATOR, Role.OBSERVER)
MAX_ADDRESSES = 500

JoinUrl = Callable[[Invitation], str]


def _check_expiry(expires_at: datetime | None) -> None:
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry is in the past; choose a later time or none."})


def _check_role(role: str, allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    if role not in allowed:
        raise ValidationError({"role": f"Choose one of {', '.join(allowed)}, not '{role}'."})


def invitation_link_create(
    *, project: Project, created_by: AbstractBaseUser, role: str, expires_at: datetime | None = None
) -> Invitation:
    _check_role(role, LINK_ROLES)
    _check_expiry(expires_at)
    return Invitation.objects.create(
        project=project, kind=InvitationKind.LINK, role=role, expires_at=expires_at, created_by=created_by
    )


def _tell_account(invitation: Invitation) -> None:
    """Someone invited who has an account here finds the invitation in their notifications too."""
    user = get_user_model().objects.filter(email__iexact=invitation.email).first()
    if user is not None:
        notify(
            recipient=user,
            kind=NotificationKind.INVITATION,
            text=f"You are invited to the project “{invitation.project.name}” as {invitation.role}.",
            url=reverse("join", args=[invitation.token]),
            actor=invitation.created_by,
            object_id=invitation.pk,
        )


def _send(invitation: Invitation, join_url: JoinUrl) -> bool:
    """Mail the invitation; False when the mail server refused it (the invitation stays pending)."""
    _tell_account(invitation)
    greeting = f"Hello {invitation.name},\n\n" if invitation.name else ""
    body = (
        f"{greeting}You are invited to the project “{invitation.project.name}” on sco-annot "
        f"as {invitation.get_role_display().lower()}.\n\nOpen this link to join (you can create an "
        f"account there if you have none):\n{join_url(invitation)}\n"
    )
    if invitation.expires_at:
        body += f"\nThe invitation expires on {invitation.expires_at:%Y-%m-%d %H:%M %Z}.\n"
    try:
        send_mail(f"Invitation to {invitation.project.name}", body, None, [invitation.email])
    except (OSError, smtplib.SMTPException):
        return False
    return True


def parse_addresses(text: str) -> list[str]:
    """Addresses separated by commas, semicolons, spaces or new lines; all checked, all named."""
    addresses = [part for part in text.replace(",", " ").replace(";", " ").split() if part]
    if not addresses:
        raise ValidationError({"emails": "Give at least one e-mail address."})
    if len(addresses) > MAX_ADDRESSES:
        raise ValidationError({"emails": f"At most {MAX_ADDRESSES} addresses at once; use a roster CSV."})
    wrong = []
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            wrong.append(address)
    if wrong:
        raise ValidationError({"emails": f"Not e-mail addresses: {', '.join(wrong)}."})
    return list(dict.fromkeys(addresses))


@transaction.atomic
def _invite(
    *, project: Project, created_by: AbstractBaseUser, people: list[tuple[str, str, str]], expires_at
) -> list[Invitation]:
    """Create (or renew) one pending invitation per (name, email, role), all or none."""
    pending = {
        invitation.email.lower(): invitation
        for invitation in Invitation.objects.select_for_update().filter(
            project=project, kind=InvitationKind.EMAIL, revoked_at__isnull=True, accepted_at__isnull=True
        )
    }
    invitations = []
    for name, email, role in people:
        invitation = pending.get(email.lower()) or Invitation(
            project=project, kind=InvitationKind.EMAIL, email=email
        )
        invitation.name, invitation.role, invitation.expires_at = name, role, expires_at
        invitation.created_by = created_by
        invitation.save()
        invitations.append(invitation)
    return invitations


def invitations_email_send(
    *,
    project: Project,
    created_by: AbstractBaseUser,
    emails: list[str],
    role: str,
    join_url: JoinUrl,
    expires_at: datetime | None = None,
) -> tuple[list[Invitation], int]:
    """Invite every address (inviting a pending one again re-sends it); returns the invitations and
    how many mails could not be sent."""
    _check_role(role, Role.values)
    _check_expiry(expires_at)
    invitations = _invite(
        project=project,
        created_by=created_by,
        people=[("", email, role) for email in emails],
        expires_at=expires_at,
    )
    return invitations, sum(not _send(invitation, join_url) for invitation in invitations)


def roster_import(
    *, project: Project, created_by: AbstractBaseUser, data: bytes, join_url: JoinUrl
) -> tuple[list[Invitation], int]:
    """A roster CSV (`name,email,role`) becomes pending invitations, one per line, all or none."""
    try:
        entries = read_roster(data, roles=tuple(Role.values))
    except RosterError as error:
        raise ValidationError({"file": error.problems}) from None
    invitations = _invite(
        project=project,
        created_by=created_by,
        people=[(entry.name, entry.email, entry.role) for entry in entries],
        expires_at=None,
    )
    return invitations, sum(not _send(invitation, join_url) for invitation in invitations)


def invitation_revoke(*, invitation: Invitation) -> Invitation:
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: AbstractBaseUser) -> tuple[Membership, bool]:
    """Join the invitation's project; a member already keeps their role. Returns (membership, joined)."""
    invitation = Invitation.objects.select_for_update().select_related("project").get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError({"token": invitation_refusal(invitation)})
    if invitation.project.archived:
        raise ValidationError({"token": "The project is archived: nobody joins it until it is restored."})
    membership = Membership.objects.filter(project=invitation.project, user=user).first()
    if membership is not None:
        return membership, False
    membership = Membership.objects.create(project=invitation.project, user=user, role=invitation.role)
    invitation.uses += 1
    if invitation.kind == InvitationKind.EMAIL:
        invitation.accepted_by, invitation.accepted_at = user, timezone.now()
    invitation.save(update_fields=["uses", "accepted_by", "accepted_at"])
    return membership, True


def invitation_refusal(invitation: Invitation) -> str:
    if invitation.revoked_at is not None:
        return "This invitation was revoked. Ask the project's owner for a new one."
    if invitation.is_expired:
        return "This invitation has expired. Ask the project's owner for a new one."
    return "This invitation was already used. Ask the project's owner for a new one."
