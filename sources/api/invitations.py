"""`/api/projects/{slug}/invitations/`: join links, e-mail invitations and rosters, for owners only
(an invitation's URL lets people in, so only those who manage members see them)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import Invitation, InvitationKind, Project, Role
from ..selectors.invitations import invitation_in_project, pending_invitations
from ..selectors.members import project_with_role
from ..services.invitations import (
    LINK_ROLES,
    invitation_link_create,
    invitation_revoke,
    invitations_email_send,
    roster_import,
)
from .errors import errors
from .parsers import UploadParser
from .permissions import CanAdminister


class InvitationSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The link that joins the project.")
    expired = serializers.BooleanField(source="is_expired", read_only=True)
    # Not an EmailField: a join link has no address, and "" is no e-mail address to a schema.
    email = serializers.CharField(read_only=True, help_text="E-mail invitations: the person invited.")

    class Meta:
        model = Invitation
        fields = ["id", "kind", "role", "email", "name", "expires_at", "expired", "uses", "created", "url"]
        read_only_fields = fields

    def get_url(self, invitation: Invitation) -> str:
        return self.context["request"].build_absolute_uri(reverse("join", args=[invitation.token]))


class InvitationInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=InvitationKind.choices)
    role = serializers.ChoiceField(
        choices=Role.choices,
        help_text=f"A join link gives one of {', '.join(LINK_ROLES)}; an e-mail invitation any role.",
    )
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    emails = serializers.ListField(
        child=serializers.EmailField(),
        required=False,
        max_length=500,
        help_text="kind `email`: the addresses to invite.",
    )

    def validate(self, data: dict) -> dict:
        if data["kind"] == InvitationKind.EMAIL and not data.get("emails"):
            raise serializers.ValidationError({"emails": ["Give the addresses to invite."]})
        if data["kind"] == InvitationKind.LINK and data.get("emails"):
            raise serializers.ValidationError({"emails": ["A join link has no addresses; use kind `email`."]})
        return data


class RosterSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV with the header `name,email,role`, one person a line.")


class InvitationsSentSerializer(serializers.Serializer):
    invitations = InvitationSerializer(many=True)
    not_sent = serializers.IntegerField(help_text="Invitations whose e-mail the mail server refused.")


class OwnerOnly:
    def project(self, request: Request, slug: str) -> Project:
        project = project_with_role(request.user, slug)
        self.check_object_permissions(request, project)  # type: ignore[attr-defined]
        return project

    def get_permissions(self) -> list:
        return [*super().get_permissions(), CanAdminister()]  # type: ignore[misc]

    def join_url(self, request: Request):
        return lambda invitation: request.build_absolute_uri(reverse("join", args=[invitation.token]))


class InvitationListView(OwnerOnly, APIView):
    @extend_schema(
        operation_id="project_invitations_list",
        responses={200: InvitationSerializer(many=True), **errors(403, 404)},
        description="Pending invitations: join links not revoked, e-mail invitations not yet used.",
    )
    def get(self, request: Request, slug: str) -> Response:
        invitations = pending_invitations(self.project(request, slug))
        return Response(InvitationSerializer(invitations, many=True, context={"request": request}).data)

    @extend_schema(
        operation_id="project_invitations_create",
        request=InvitationInputSerializer,
        responses={201: InvitationsSentSerializer, **errors(400, 403, 404)},
        description="`kind: link` makes one join link; `kind: email` invites (or re-invites) each address.",
    )
    def post(self, request: Request, slug: str) -> Response:
        project = self.project(request, slug)
        data = InvitationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        if given["kind"] == InvitationKind.LINK:
            invitation = invitation_link_create(
                project=project, created_by=request.user, role=given["role"], expires_at=given["expires_at"]
            )
            invitations, not_sent = [invitation], 0
        else:
            invitations, not_sent = invitations_email_send(
                project=project,
                created_by=request.user,
                emails=list(dict.fromkeys(given["emails"])),
                role=given["role"],
                expires_at=given["expires_at"],
                join_url=self.join_url(request),
            )
        body = InvitationsSentSerializer(
            {"invitations": invitations, "not_sent": not_sent}, context={"request": request}
        ).data
        return Response(body, status=status.HTTP_201_CREATED)


class InvitationDetailView(OwnerOnly, APIView):
    @extend_schema(
        operation_id="project_invitation_revoke",
        responses={204: None, **errors(403, 404)},
        description="Revokes the invitation: its link no longer joins anyone.",
    )
    def delete(self, request: Request, slug: str, pk: int) -> Response:
        invitation_revoke(invitation=invitation_in_project(self.project(request, slug), pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RosterView(OwnerOnly, APIView):
    parser_classes = [UploadParser]

    @extend_schema(
        operation_id="project_roster_import",
        request={"multipart/form-data": RosterSerializer},
        responses={201: InvitationsSentSerializer, **errors(400, 403, 404, 413)},
        description="One e-mail invitation per roster line, all or none; errors name their line.",
    )
    def post(self, request: Request, slug: str) -> Response:
        project = self.project(request, slug)
        data = RosterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitations, not_sent = roster_import(
            project=project,
            created_by=request.user,
            data=data.validated_data["file"].read(),
            join_url=self.join_url(request),
        )
        body = InvitationsSentSerializer(
            {"invitations": invitations, "not_sent": not_sent}, context={"request": request}
        ).data
        return Response(body, status=status.HTTP_201_CREATED)
