"""The codebook: themes, their hierarchy, colors and shortcut keys."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from ..models import Project, Theme
from ..selectors.codebook import themes_for_user
from ..selectors.projects import projects_for_user
from ..services.codebook import theme_create, theme_delete, theme_update
from .errors import errors, list_errors
from .fields import ScopedPrimaryKeyRelatedField
from .filters import ThemeFilter
from .permissions import CanManage
from .versioning import IF_MATCH, etag, expected_version
from .viewsets import ScopedViewSet, Versioned


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = [
            "id",
            "project",
            "slug",
            "name",
            "description",
            "color",
            "parent",
            "shortcut",
            "order",
            "version",
        ]
        read_only_fields = fields


class ThemeUpdateSerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=64)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True)
    color = serializers.RegexField(r"^#[0-9a-fA-F]{6}$", help_text="#rrggbb")
    parent = ScopedPrimaryKeyRelatedField(themes_for_user, model=Theme, allow_null=True)
    shortcut = serializers.CharField(max_length=1, allow_blank=True, help_text="One key, or empty.")
    order = serializers.IntegerField(min_value=0, max_value=2**31 - 1)


class ThemeCreateSerializer(ThemeUpdateSerializer):
    project = ScopedPrimaryKeyRelatedField(projects_for_user, model=Project)
    description = serializers.CharField(allow_blank=True, default="")
    color = serializers.RegexField(r"^#[0-9a-fA-F]{6}$", required=False, help_text="#rrggbb")
    parent = ScopedPrimaryKeyRelatedField(themes_for_user, model=Theme, allow_null=True, default=None)
    shortcut = serializers.CharField(
        max_length=1, allow_blank=True, default="", help_text="One key, or empty."
    )
    order = serializers.IntegerField(min_value=0, max_value=2**31 - 1, default=0)


@extend_schema_view(
    list=extend_schema(responses={200: ThemeSerializer(many=True), **list_errors()}),
    retrieve=extend_schema(responses={200: ThemeSerializer, **errors(404)}),
)
class ThemeViewSet(Versioned, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    output_serializer_class = ThemeSerializer
    filterset_class = ThemeFilter
    role_rules = {"create": CanManage, "partial_update": CanManage, "destroy": CanManage}

    def get_queryset(self):
        return themes_for_user(self.request.user)

    @extend_schema(request=ThemeCreateSerializer, responses={201: ThemeSerializer, **errors(400, 403, 409)})
    def create(self, request: Request) -> Response:
        data = self.validated(ThemeCreateSerializer)
        project = data.pop("project")
        self.check_object_permissions(request, project)
        theme = self.fetched(theme_create(project=project, **data))
        return self.respond(theme, status.HTTP_201_CREATED, ETag=etag(theme))

    @extend_schema(
        parameters=[IF_MATCH],
        request=ThemeUpdateSerializer,
        responses={200: ThemeSerializer, **errors(400, 403, 404, 409, 412)},
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        theme = self.get_object()
        data = self.validated(ThemeUpdateSerializer, partial=True)
        version = expected_version(request, theme)
        theme = self.fetched(theme_update(theme=theme, expected_version=version, **data))
        return self.respond(theme, ETag=etag(theme))

    @extend_schema(
        parameters=[IF_MATCH],
        responses={204: None, **errors(403, 404, 409, 412)},
        description="Refused with 409 while annotations use the theme or it has sub-themes.",
    )
    def destroy(self, request: Request, pk: int) -> Response:
        theme = self.get_object()
        theme_delete(theme=theme, expected_version=expected_version(request, theme))
        return Response(status=status.HTTP_204_NO_CONTENT)
