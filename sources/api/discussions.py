"""Discussions of disagreements: a short thread per passage and theme, settled by an instructor."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ..models import Annotation, Discussion, DiscussionDecision, Passage, Session, Theme
from ..selectors.annotation_roles import annotations_with_role
from ..selectors.codebook import themes_for_user
from ..selectors.discussions import discussions_for_user
from ..selectors.sessions import sessions_for_user
from ..selectors.sources import passages_for_user
from ..services.discussions import discussion_comment, discussion_decide, discussion_start
from .errors import errors, list_errors
from .fields import ScopedPrimaryKeyRelatedField
from .filters import PROJECT_HELP, IdFilter, slug_filter
from .permissions import CanAnnotate, CanReview
from .viewsets import ScopedViewSet


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    author = serializers.IntegerField(source="author_id", read_only=True)
    username = serializers.CharField(source="author.username", read_only=True)
    text = serializers.CharField(max_length=2000)
    created = serializers.DateTimeField(read_only=True)


class DiscussionSerializer(serializers.ModelSerializer):
    theme_slug = serializers.CharField(source="theme.slug", read_only=True)
    decision = serializers.ChoiceField(
        choices=DiscussionDecision.choices, allow_blank=True, read_only=True, help_text="Empty while open."
    )
    comments = CommentSerializer(many=True, read_only=True)

    class Meta:
        model = Discussion
        fields = [
            "id", "passage", "theme", "theme_slug", "session", "started_by", "decision", "reason",
            "decided_by", "decided_at", "created", "comments",
        ]  # fmt: skip
        read_only_fields = fields


class DiscussionCreateSerializer(serializers.Serializer):
    passage = ScopedPrimaryKeyRelatedField(passages_for_user, model=Passage)
    theme = ScopedPrimaryKeyRelatedField(themes_for_user, model=Theme)
    session = ScopedPrimaryKeyRelatedField(
        lambda user: sessions_for_user(user, with_members=False), model=Session, allow_null=True, default=None
    )
    text = serializers.CharField(max_length=2000, help_text="The opening comment.")


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=DiscussionDecision.choices)
    reason = serializers.CharField(max_length=2000)
    approve = ScopedPrimaryKeyRelatedField(
        annotations_with_role, model=Annotation, many=True, default=list, help_text="Annotations accepted."
    )
    reject = ScopedPrimaryKeyRelatedField(
        annotations_with_role, model=Annotation, many=True, default=list, help_text="Annotations rejected."
    )


class DiscussionFilter(filters.FilterSet):
    project = slug_filter("passage__source__project__slug", PROJECT_HELP)
    passage = IdFilter(field_name="passage", help_text="Passage id.")
    theme = slug_filter("theme__slug", "Theme slug.")
    session = IdFilter(field_name="session", help_text="Session id.")


@extend_schema_view(
    list=extend_schema(responses={200: DiscussionSerializer(many=True), **list_errors()}),
    retrieve=extend_schema(responses={200: DiscussionSerializer, **errors(404)}),
)
class DiscussionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    output_serializer_class = DiscussionSerializer
    filterset_class = DiscussionFilter
    http_method_names = ["get", "post", "head", "options"]
    role_rules = {"create": CanAnnotate, "comments": CanAnnotate, "decide": CanReview}

    def get_queryset(self):
        return discussions_for_user(self.request.user)

    @extend_schema(
        request=DiscussionCreateSerializer, responses={201: DiscussionSerializer, **errors(400, 403)}
    )
    def create(self, request: Request) -> Response:
        """Open a thread on a disagreement about one theme of one passage."""
        data = self.validated(DiscussionCreateSerializer)
        self.check_object_permissions(request, data["passage"])
        discussion = discussion_start(started_by=request.user, **data)
        return self.respond(self.fetched(discussion), status.HTTP_201_CREATED)

    @extend_schema(request=CommentSerializer, responses={201: DiscussionSerializer, **errors(400, 403, 404)})
    @action(detail=True, methods=["post"], filter_backends=[])
    def comments(self, request: Request, pk: int) -> Response:
        """Add a comment to the thread."""
        discussion = self.get_object()
        discussion_comment(discussion=discussion, author=request.user, **self.validated(CommentSerializer))
        return self.respond(self.fetched(discussion), status.HTTP_201_CREATED)

    @extend_schema(request=DecisionSerializer, responses={200: DiscussionSerializer, **errors(400, 403, 404)})
    @action(detail=True, methods=["post"], filter_backends=[])
    def decide(self, request: Request, pk: int) -> Response:
        """Settle it: the decision and its reason, approving and rejecting the annotations named; the
        decision shows in those annotations' history and in exports."""
        discussion = self.get_object()
        discussion = discussion_decide(
            discussion=discussion, decided_by=request.user, **self.validated(DecisionSerializer)
        )
        return self.respond(self.fetched(discussion))
