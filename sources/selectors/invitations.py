"""Invitations as owners list them and as a join link finds them."""

from django.db.models import Q, QuerySet
from django.http import Http404

from ..models import Invitation, InvitationKind, Project


def pending_invitations(project: Project) -> QuerySet[Invitation]:
    """Join links and e-mail invitations not revoked nor used up; expired ones are listed (marked)
    until revoked, so an owner sees why a student could not join."""
    return (
        Invitation.objects.filter(project=project, revoked_at__isnull=True)
        .filter(Q(kind=InvitationKind.LINK) | Q(accepted_at__isnull=True))
        .select_related("created_by")
        .order_by("kind", "-created", "-id")
    )


def invitation_in_project(project: Project, invitation_id: int) -> Invitation:
    invitation = Invitation.objects.filter(project=project, pk=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def invitation_by_token(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("project").filter(token=token).first()
    if invitation is None:
        raise Http404("This invitation link is not valid. Check that you copied all of it.")
    return invitation
