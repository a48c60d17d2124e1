"""Annotation sessions and each participant's progress in one."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ..models import Project, Session, Source
from ..selectors.members import active_users
from ..selectors.projects import projects_for_user
from ..selectors.sessions import session_progress, sessions_for_user
from ..selectors.sources import sources_for_user
from ..services.sessions import session_create, session_update
from .errors import errors, list_errors
from .feedback import SessionFeedbackActions
from .fields import ScopedPrimaryKeyRelatedField
from .filters import SessionFilter
from .permissions import CanManage
from .viewsets import ScopedViewSet


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = [
            "id",
            "project",
            "name",
            "instructions",
            "opens_at",
            "closes_at",
            "blind",
            "sources",
            "participants",
            "created_by",
            "created",
        ]
        read_only_fields = fields


class SessionUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    instructions = serializers.CharField(allow_blank=True)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    blind = serializers.BooleanField(
        help_text="Annotators see only their own work of this session until they submit."
    )
    sources = ScopedPrimaryKeyRelatedField(sources_for_user, model=Source, many=True)
    participants = serializers.PrimaryKeyRelatedField(
        queryset=active_users(), many=True, help_text="User ids; each must be a member of the project."
    )


class SessionCreateSerializer(SessionUpdateSerializer):
    project = ScopedPrimaryKeyRelatedField(projects_for_user, model=Project)
    instructions = serializers.CharField(allow_blank=True, default="")
    blind = serializers.BooleanField(
        default=False, help_text="Annotators see only their own work of this session until they submit."
    )
    sources = ScopedPrimaryKeyRelatedField(sources_for_user, model=Source, many=True, default=list)
    participants = serializers.PrimaryKeyRelatedField(
        queryset=active_users(),
        many=True,
        default=list,
        help_text="User ids; each must be a member of the project.",
    )


class ParticipantProgressSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    username = serializers.CharField()
    passages_tagged = serializers.IntegerField(
        help_text="Passages of the session's sources with at least one of the participant's session "
        "annotations."
    )
    passages_total = serializers.IntegerField(help_text="Passages of the session's sources.")
    submitted = serializers.BooleanField()


class SessionProgressSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    passages_total = serializers.IntegerField()
    participants = ParticipantProgressSerializer(many=True)


@extend_schema_view(
    list=extend_schema(responses={200: SessionSerializer(many=True), **list_errors()}),
    retrieve=extend_schema(responses={200: SessionSerializer, **errors(404)}),
)
class SessionViewSet(SessionFeedbackActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    output_serializer_class = SessionSerializer
    filterset_class = SessionFilter
    # PUT only for the answer key, rubric and grades actions; sessions themselves change by PATCH.
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    role_rules = {"create": CanManage, "partial_update": CanManage}

    def get_queryset(self):
        return sessions_for_user(self.request.user, with_members=self.action != "progress")

    @extend_schema(request=SessionCreateSerializer, responses={201: SessionSerializer, **errors(400, 403)})
    def create(self, request: Request) -> Response:
        data = self.validated(SessionCreateSerializer)
        self.check_object_permissions(request, data["project"])
        session = self.fetched(session_create(created_by=request.user, **data))
        return self.respond(session, status.HTTP_201_CREATED)

    @extend_schema(
        request=SessionUpdateSerializer, responses={200: SessionSerializer, **errors(400, 403, 404)}
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        session = self.get_object()
        data = self.validated(SessionUpdateSerializer, partial=True)
        return self.respond(self.fetched(session_update(session=session, **data)))

    @extend_schema(responses={200: SessionProgressSerializer, **errors(404)})
    @action(detail=True, methods=["get"])
    def progress(self, request: Request, pk: int) -> Response:
        """Per participant: passages tagged in the session, out of how many, and whether they submitted."""
        return Response(SessionProgressSerializer(session_progress(self.get_object())).data)
