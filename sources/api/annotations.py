"""Annotations: tag a passage, or a span of it, with a theme."""

from functools import partial

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from ..models import Annotation, Passage, Session, Theme
from ..selectors.annotation_roles import annotations_listed, annotations_with_role
from ..selectors.codebook import themes_for_user
from ..selectors.sessions import sessions_for_user
from ..selectors.sources import passages_for_user
from ..services.annotations import annotation_create, annotation_delete, annotation_update
from .errors import errors, list_errors
from .fields import OffsetField, ScopedPrimaryKeyRelatedField
from .filters import AnnotationFilter
from .pagination import KeysetPagination
from .permissions import CanAnnotate, CanChangeWork
from .versioning import IF_MATCH, etag, expected_version
from .viewsets import ScopedViewSet, Versioned


class AnnotationSerializer(serializers.ModelSerializer):
    theme_slug = serializers.SlugField(source="theme.slug", read_only=True)
    created = serializers.DateTimeField(read_only=True)
    updated = serializers.DateTimeField(read_only=True)

    def to_representation(self, annotation: Annotation) -> dict:
        """The fields of Meta, read straight off the row: a page of tags is most of what a list costs,
        and DRF's field-by-field walk tripled it. Dates go through DRF's own field, as before."""
        return {
            "id": annotation.pk,
            "passage": annotation.passage_id,
            "theme": annotation.theme_id,
            "theme_slug": annotation.theme.slug,
            "author": annotation.author_id,
            "start": annotation.start,
            "end": annotation.end,
            "quote": annotation.quote,
            "note": annotation.note,
            "status": annotation.status,
            "session": annotation.session_id,
            "version": annotation.version,
            "created": self.fields["created"].to_representation(annotation.created),
            "updated": self.fields["updated"].to_representation(annotation.updated),
            "suggestion": annotation.suggestion_id,
            "suggested_by": annotation.suggested_by,
        }

    class Meta:
        model = Annotation
        fields = [
            "id",
            "passage",
            "theme",
            "theme_slug",
            "author",
            "start",
            "end",
            "quote",
            "note",
            "status",
            "session",
            "version",
            "created",
            "updated",
            "suggestion",
            "suggested_by",
        ]
        read_only_fields = fields


class AnnotationCreateSerializer(serializers.Serializer):
    passage = ScopedPrimaryKeyRelatedField(passages_for_user, model=Passage)
    theme = ScopedPrimaryKeyRelatedField(themes_for_user, model=Theme)
    start = OffsetField(
        allow_null=True, default=None, help_text="Span start; omit both for the whole passage."
    )
    end = OffsetField(allow_null=True, default=None, help_text="Span end, exclusive, in code points.")
    quote = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="The text at start:end, checked when given; filled in when omitted.",
    )
    note = serializers.CharField(default="", allow_blank=True, trim_whitespace=False)
    session = ScopedPrimaryKeyRelatedField(
        partial(sessions_for_user, with_members=False), model=Session, allow_null=True, default=None
    )


class AnnotationUpdateSerializer(serializers.Serializer):
    theme = ScopedPrimaryKeyRelatedField(themes_for_user, model=Theme)
    start = OffsetField(allow_null=True)
    end = OffsetField(allow_null=True)
    quote = serializers.CharField(allow_blank=True, trim_whitespace=False)
    note = serializers.CharField(allow_blank=True, trim_whitespace=False)


@extend_schema_view(
    list=extend_schema(responses={200: AnnotationSerializer(many=True), **list_errors()}),
    retrieve=extend_schema(responses={200: AnnotationSerializer, **errors(404)}),
)
class AnnotationViewSet(Versioned, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    output_serializer_class = AnnotationSerializer
    filterset_class = AnnotationFilter
    pagination_class = KeysetPagination
    role_rules = {"create": CanAnnotate, "partial_update": CanChangeWork, "destroy": CanChangeWork}

    def get_queryset(self):
        if self.action == "list":
            return annotations_listed(self.request.user)
        return annotations_with_role(self.request.user)

    @extend_schema(
        request=AnnotationCreateSerializer, responses={201: AnnotationSerializer, **errors(400, 403, 409)}
    )
    def create(self, request: Request) -> Response:
        data = self.validated(AnnotationCreateSerializer)
        self.check_object_permissions(request, data["passage"])
        annotation = self.fetched(annotation_create(author=request.user, **data))
        return self.respond(annotation, status.HTTP_201_CREATED, ETag=etag(annotation))

    @extend_schema(
        parameters=[IF_MATCH],
        request=AnnotationUpdateSerializer,
        responses={200: AnnotationSerializer, **errors(400, 403, 404, 409, 412)},
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        annotation = self.get_object()
        data = self.validated(AnnotationUpdateSerializer, partial=True)
        version = expected_version(request, annotation)
        annotation = self.fetched(
            annotation_update(annotation=annotation, expected_version=version, editor=request.user, **data)
        )
        return self.respond(annotation, ETag=etag(annotation))

    @extend_schema(parameters=[IF_MATCH], responses={204: None, **errors(403, 404, 412)})
    def destroy(self, request: Request, pk: int) -> Response:
        annotation = self.get_object()
        annotation_delete(
            annotation=annotation, expected_version=expected_version(request, annotation), editor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
