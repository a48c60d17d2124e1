"""Passages: the ordered pieces of a source, read-only, with full-text search."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from ..models import Passage
from ..models.source import PASSAGE_FIELDS
from ..selectors.sources import passages_for_user
from .errors import errors, list_errors
from .filters import PassageFilter
from .pagination import KeysetPagination
from .viewsets import ScopedViewSet


class PassageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Passage
        fields = ["id", "source", *PASSAGE_FIELDS]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        responses={200: PassageSerializer(many=True), **list_errors()},
        description="In document order (by id).",
    ),
    retrieve=extend_schema(responses={200: PassageSerializer, **errors(404)}),
)
class PassageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    output_serializer_class = PassageSerializer
    filterset_class = PassageFilter
    pagination_class = KeysetPagination

    def get_queryset(self):
        return passages_for_user(self.request.user)
