"""Comments on passages and spans (`/api/comments/`) and the caller's notifications
(`/api/notifications/`), docs/collaboration.md."""

from functools import partial

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ..models import Comment, Notification, NotificationKind, Passage, Session
from ..selectors.comments import STATES, comments_for_user, comments_in_state, notifications_for_user
from ..selectors.sessions import sessions_for_user
from ..selectors.sources import passages_for_user
from ..services.comments import MAX_TEXT, comment_create, comment_delete, comment_edit, comment_resolve
from ..services.notifications import notification_read
from .errors import errors, list_errors
from .fields import OffsetField, ScopedPrimaryKeyRelatedField
from .filters import PROJECT_HELP, IdFilter, slug_filter
from .permissions import CanAnnotate
from .viewsets import ScopedViewSet


class PassageCommentSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="author.username", read_only=True)
    mentions = serializers.SerializerMethodField()
    resolved = serializers.SerializerMethodField()
    text = serializers.CharField(read_only=True, help_text="Empty once the comment was deleted.")
    deleted = serializers.DateTimeField(
        read_only=True, allow_null=True,
        help_text="When it was deleted: it stays, without its text, while it has replies.",
    )  # fmt: skip

    class Meta:
        model = Comment
        fields = [
            "id", "passage", "start", "end", "quote", "parent", "author", "username", "text", "mentions",
            "resolved", "resolved_at", "resolved_by", "edited", "deleted", "session", "created",
        ]  # fmt: skip
        read_only_fields = fields

    def get_mentions(self, comment: Comment) -> list[str]:
        return sorted(user.username for user in getattr(comment, "mentioned", comment.mentions.all()))

    def get_resolved(self, comment: Comment) -> bool:
        return comment.resolved_at is not None


class CommentCreateSerializer(serializers.Serializer):
    passage = ScopedPrimaryKeyRelatedField(passages_for_user, model=Passage)
    start = OffsetField(required=False, allow_null=True, default=None)
    end = OffsetField(required=False, allow_null=True, default=None)
    text = serializers.CharField(max_length=MAX_TEXT, help_text="@username mentions notify those members.")
    parent = ScopedPrimaryKeyRelatedField(
        comments_for_user, model=Comment, required=False, allow_null=True, default=None,
        help_text="The comment this replies to, on the same passage.",
    )  # fmt: skip
    session = ScopedPrimaryKeyRelatedField(
        partial(sessions_for_user, with_members=False), model=Session, required=False, allow_null=True,
        default=None, help_text="The session it is written in (a reply is in its thread's session); in a "
        "blind session it is hidden from the other participants until both submitted.",
    )  # fmt: skip


class CommentEditSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_TEXT)


class CommentFilter(filters.FilterSet):
    project = slug_filter("passage__source__project__slug", PROJECT_HELP)
    passage = IdFilter(field_name="passage", help_text="Passage id.")
    source = IdFilter(field_name="passage__source", help_text="Source id.")
    state = filters.ChoiceFilter(
        choices=list(STATES.items()), method="in_state", help_text="open, resolved, mine or mentioning (me)."
    )

    def in_state(self, queryset, name: str, value: str):
        return comments_in_state(queryset, value, self.request.user)


class CanComment(CanAnnotate):
    message = "Your role in this project does not allow writing comments."


@extend_schema_view(
    list=extend_schema(responses={200: PassageCommentSerializer(many=True), **list_errors()}),
    retrieve=extend_schema(responses={200: PassageCommentSerializer, **errors(404)}),
)
class CommentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    output_serializer_class = PassageCommentSerializer
    filterset_class = CommentFilter
    role_rules = {"create": CanComment}

    def get_queryset(self):
        return comments_for_user(self.request.user)

    @extend_schema(
        request=CommentCreateSerializer, responses={201: PassageCommentSerializer, **errors(400, 403)}
    )
    def create(self, request: Request) -> Response:
        """Comment on a passage, or on a span of it (`start`, `end`), or reply (`parent`)."""
        data = self.validated(CommentCreateSerializer)
        self.check_object_permissions(request, data["passage"])
        comment = comment_create(author=request.user, **data)
        return self.respond(self.fetched(comment), status.HTTP_201_CREATED)

    @extend_schema(
        request=CommentEditSerializer, responses={200: PassageCommentSerializer, **errors(400, 403, 404)}
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        """Change the text of one's own comment (its author only: others are refused with 403)."""
        comment = self.get_object()
        comment_edit(comment=comment, editor=request.user, **self.validated(CommentEditSerializer))
        return self.respond(self.fetched(comment))

    @extend_schema(responses={204: None, **errors(403, 404)})
    def destroy(self, request: Request, pk: int) -> Response:
        """Delete one's own comment (owners and instructors any). One with replies stays in its
        thread, `deleted` and without its text, so that the replies still read."""
        comment = self.get_object()
        comment_delete(comment=comment, editor=request.user, role=comment.my_role)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: PassageCommentSerializer, **errors(400, 403, 404)})
    @action(detail=True, methods=["post"], filter_backends=[])
    def resolve(self, request: Request, pk: int) -> Response:
        """Mark a thread resolved: its first comment's author, or an owner or instructor."""
        comment = self.get_object()
        comment_resolve(comment=comment, user=request.user, role=comment.my_role, resolved=True)
        return self.respond(self.fetched(comment))

    @extend_schema(request=None, responses={200: PassageCommentSerializer, **errors(400, 403, 404)})
    @action(detail=True, methods=["post"], filter_backends=[])
    def reopen(self, request: Request, pk: int) -> Response:
        """Open a resolved thread again."""
        comment = self.get_object()
        comment_resolve(comment=comment, user=request.user, role=comment.my_role, resolved=False)
        return self.respond(self.fetched(comment))


class NotificationSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    read = serializers.SerializerMethodField()
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    object = serializers.IntegerField(source="object_id", read_only=True, allow_null=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "read", "read_at", "created", "text", "url", "project", "actor", "object"]
        read_only_fields = fields

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", help_text="Only unread ones.")


@extend_schema_view(
    list=extend_schema(responses={200: NotificationSerializer(many=True), **list_errors()}),
)
class NotificationViewSet(mixins.ListModelMixin, ScopedViewSet):
    """The caller's notifications, newest first."""

    output_serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return notifications_for_user(self.request.user)

    @extend_schema(request=None, responses={200: NotificationSerializer, **errors(404)})
    @action(detail=True, methods=["post"], filter_backends=[])
    def read(self, request: Request, pk: int) -> Response:
        """Mark one notification read."""
        return self.respond(notification_read(notification=self.get_object()))
