"""`/api/projects/{slug}/presence/{source}/`: who else is reading a source and at which passage;
the reader posts its place as a heartbeat and says when it leaves (docs/collaboration.md,
"Presence")."""

from dataclasses import asdict

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import Project, Source
from ..selectors.presence import presence_on, source_in
from ..selectors.projects import project_for_user
from ..services.presence import presence_leave, presence_mark
from .errors import errors
from .filters import MAX_ID


class PlaceSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    name = serializers.CharField()
    initials = serializers.CharField()
    passage = serializers.IntegerField(allow_null=True)
    ordinal = serializers.IntegerField(allow_null=True)


class PresenceSerializer(serializers.Serializer):
    present = PlaceSerializer(many=True, help_text="The other members reading the source, by passage.")
    seconds = serializers.IntegerField(help_text="How long a place is kept after its last heartbeat.")


class HeartbeatSerializer(serializers.Serializer):
    passage = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None,
        help_text="The passage in view (null: none in particular).",
    )  # fmt: skip


class PresenceView(APIView):
    def _where(self, request: Request, slug: str, source: int) -> tuple[Project, Source]:
        project, _ = project_for_user(request.user, slug)
        return project, source_in(project, source)

    def _answer(self, request: Request, project: Project, source: Source) -> Response:
        places = [asdict(place) for place in presence_on(project, source, request.user)]
        return Response(PresenceSerializer({"present": places, "seconds": settings.PRESENCE_SECONDS}).data)

    @extend_schema(operation_id="project_presence", responses={200: PresenceSerializer, **errors(404)})
    def get(self, request: Request, slug: str, source: int) -> Response:
        """Who else is reading the source now, and at which passage."""
        return self._answer(request, *self._where(request, slug, source))

    @extend_schema(
        operation_id="project_presence_heartbeat",
        request=HeartbeatSerializer,
        responses={200: PresenceSerializer, **errors(400, 404)},
    )
    def post(self, request: Request, slug: str, source: int) -> Response:
        """Say that you are reading the source, at this passage; answers who else is. Send it again
        within `seconds` to stay listed."""
        project, found = self._where(request, slug, source)
        body = HeartbeatSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        presence_mark(
            project=project, source=found, user=request.user, passage_id=body.validated_data["passage"]
        )
        return self._answer(request, project, found)

    @extend_schema(operation_id="project_presence_leave", responses={204: None, **errors(404)})
    def delete(self, request: Request, slug: str, source: int) -> Response:
        """Say that you left the source."""
        project, found = self._where(request, slug, source)
        presence_leave(project=project, source=found, user=request.user)
        return Response(status=204)
