"""The codebook: themes, their hierarchy, colours, shortcut keys, coding rules and anchor examples;
merging themes; the whole codebook in and out as `qdc` or the project's JSON."""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import permissions as roles
from ..formats.records import FormatError
from ..models import Passage, Project, Theme, ThemeAnchor
from ..selectors.codebook import themes_for_user
from ..selectors.projects import project_for_user, projects_for_user
from ..selectors.sources import passages_for_user
from ..services.codebook import theme_create, theme_delete, theme_update
from ..services.codebook_transfer import CODEBOOK_FORMATS, codebook_export, codebook_import
from ..services.theme_anchors import anchor_add, anchor_remove
from ..services.theme_merge import theme_merge
from .errors import errors, list_errors
from .exports import FormatIsOurs
from .fields import ScopedPrimaryKeyRelatedField
from .filters import ThemeFilter
from .parsers import UploadParser
from .permissions import CanManage
from .versioning import IF_MATCH, etag, expected_version
from .viewsets import ScopedViewSet, Versioned

COLOUR_HELP = "#rrggbb, at least 3:1 contrast against the page background (#f6f5f1)."
SHORTCUT_HELP = "One key, unique in the project and not one of the reader's keys (j k c i v ? u); or empty."


class AnchorSerializer(serializers.ModelSerializer):
    source = serializers.IntegerField(source="passage.source_id", read_only=True)
    text = serializers.CharField(
        source="passage.text", read_only=True, help_text="The whole passage; `quote` is the span's text."
    )

    class Meta:
        model = ThemeAnchor
        fields = ["id", "passage", "source", "start", "end", "quote", "note", "text"]
        read_only_fields = fields


class ThemeSerializer(serializers.ModelSerializer):
    anchors = AnchorSerializer(source="anchor_list", many=True, read_only=True)

    class Meta:
        model = Theme
        fields = [
            "id",
            "project",
            "slug",
            "name",
            "description",
            "include",
            "exclude",
            "anchors",
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
    include = serializers.CharField(allow_blank=True, help_text="Coding rule: apply the theme when…")
    exclude = serializers.CharField(allow_blank=True, help_text="Coding rule: do not apply it when…")
    color = serializers.RegexField(r"^#[0-9a-fA-F]{6}$", help_text=COLOUR_HELP)
    parent = ScopedPrimaryKeyRelatedField(themes_for_user, model=Theme, allow_null=True)
    shortcut = serializers.CharField(
        max_length=1, allow_blank=True, trim_whitespace=False, help_text=SHORTCUT_HELP
    )
    order = serializers.IntegerField(min_value=0, max_value=2**31 - 1)


class ThemeCreateSerializer(ThemeUpdateSerializer):
    project = ScopedPrimaryKeyRelatedField(projects_for_user, model=Project)
    slug = serializers.SlugField(max_length=64, required=False, help_text="Made from the name when omitted.")
    description = serializers.CharField(allow_blank=True, default="")
    include = serializers.CharField(allow_blank=True, default="")
    exclude = serializers.CharField(allow_blank=True, default="")
    color = serializers.RegexField(r"^#[0-9a-fA-F]{6}$", required=False, help_text=COLOUR_HELP)
    parent = ScopedPrimaryKeyRelatedField(themes_for_user, model=Theme, allow_null=True, default=None)
    shortcut = serializers.CharField(
        max_length=1, allow_blank=True, default="", trim_whitespace=False, help_text=SHORTCUT_HELP
    )
    order = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False)


class AnchorInputSerializer(serializers.Serializer):
    passage = ScopedPrimaryKeyRelatedField(passages_for_user, model=Passage)
    start = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    end = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    quote = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Without start/end: these exact words."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class MergeInputSerializer(serializers.Serializer):
    into = ScopedPrimaryKeyRelatedField(themes_for_user, model=Theme, help_text="The theme that stays.")


class MergeReportSerializer(serializers.Serializer):
    into = ThemeSerializer()
    moved = serializers.IntegerField(help_text="Tags moved to `into`.")
    duplicates = serializers.IntegerField(
        help_text="Tags removed: the same person had the same place tagged with `into`."
    )
    children = serializers.IntegerField(help_text="Sub-themes that now hang from `into`.")
    anchors = serializers.IntegerField()
    summary = serializers.CharField()


@extend_schema_view(
    list=extend_schema(responses={200: ThemeSerializer(many=True), **list_errors()}),
    retrieve=extend_schema(responses={200: ThemeSerializer, **errors(404)}),
)
class ThemeViewSet(Versioned, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    output_serializer_class = ThemeSerializer
    filterset_class = ThemeFilter
    role_rules = {
        "create": CanManage,
        "partial_update": CanManage,
        "destroy": CanManage,
        "anchors": CanManage,
        "anchor": CanManage,
        "merge": CanManage,
    }

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
        parameters=[
            IF_MATCH,
            OpenApiParameter(
                "with_tags", bool, description="Delete the theme's tags with it (kept in history)."
            ),
        ],
        responses={204: None, **errors(403, 404, 409, 412)},
        description="Refused with 409 while the theme has sub-themes or discussions, or has tags and "
        "`with_tags` is not true (the message says how many).",
    )
    def destroy(self, request: Request, pk: int) -> Response:
        theme = self.get_object()
        with_tags = request.query_params.get("with_tags", "").lower() in ("1", "true", "yes")
        theme_delete(theme=theme, expected_version=expected_version(request, theme), with_tags=with_tags)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=AnchorInputSerializer, responses={201: AnchorSerializer, **errors(400, 403, 404)})
    @action(detail=True, methods=["post"], filter_backends=[])
    def anchors(self, request: Request, pk: int) -> Response:
        """Add an anchor example: a passage of the project, a span of it (start, end), or the first
        place the given words (`quote`) occur in it."""
        theme = self.get_object()
        data = self.validated(AnchorInputSerializer)
        anchor = anchor_add(
            theme=theme,
            passage=data["passage"],
            start=data["start"],
            end=data["end"],
            quote=data["quote"] or None,
            note=data["note"],
        )
        return Response(AnchorSerializer(anchor).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None, **errors(403, 404)})
    @action(
        detail=True,
        methods=["delete"],
        filter_backends=[],
        url_path="anchors/<int:anchor_id>",
        url_name="anchor",
    )
    def anchor(self, request: Request, pk: int, anchor_id: int) -> Response:
        """Remove one anchor example of the theme."""
        theme = self.get_object()
        found = ThemeAnchor.objects.filter(theme=theme, pk=anchor_id).first()
        if found is None:
            raise exceptions.NotFound("The theme has no such anchor.")
        anchor_remove(anchor=found)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=MergeInputSerializer, responses={200: MergeReportSerializer, **errors(400, 403, 404)}
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def merge(self, request: Request, pk: int) -> Response:
        """Merge this theme into `into`: its tags, sub-themes, anchors and discussions move there and
        it is deleted. Tags that would duplicate one on `into` are removed and counted."""
        theme = self.get_object()
        into = self.validated(MergeInputSerializer)["into"]
        name = theme.name
        report = theme_merge(theme=theme, into=into, user=request.user)
        body = {**report.__dict__, "into": self.fetched(report.into), "summary": report.summary(name)}
        return Response(MergeReportSerializer(body).data)


class CodebookImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    format = serializers.ChoiceField(choices=sorted(CODEBOOK_FORMATS))


class CodebookReportSerializer(serializers.Serializer):
    created = serializers.ListField(child=serializers.CharField(), help_text="Slugs of the themes added.")
    existing = serializers.ListField(
        child=serializers.CharField(), help_text="Slugs already there, left alone."
    )
    anchors_added = serializers.IntegerField()
    anchors_missing = serializers.IntegerField()
    summary = serializers.CharField()


class CodebookView(APIView):
    parser_classes = [UploadParser]
    content_negotiation_class = FormatIsOurs

    @extend_schema(
        operation_id="project_codebook_export",
        parameters=[OpenApiParameter("format", str, enum=sorted(CODEBOOK_FORMATS), required=True)],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The codebook as a REFI-QDA CodeBook or the project's JSON."
            ),
            **errors(400, 404),
        },
    )
    def get(self, request: Request, slug: str) -> StreamingHttpResponse:
        project, _ = project_for_user(request.user, slug)
        filename, content_type, chunks = codebook_export(
            project=project, format=request.query_params.get("format", "")
        )
        response = StreamingHttpResponse(chunks, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @extend_schema(
        operation_id="project_codebook_import",
        request={"multipart/form-data": CodebookImportSerializer},
        responses={201: CodebookReportSerializer, **errors(400, 403, 404)},
        description="Adds the themes the codebook lacks; themes whose slug exists are left as they are.",
    )
    def post(self, request: Request, slug: str) -> Response:
        project, role = project_for_user(request.user, slug)
        if not roles.can_manage(role):
            raise exceptions.PermissionDenied(
                "Only the project's owners and instructors change its codebook."
            )
        data = CodebookImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            report = codebook_import(
                project=project, data=data.validated_data["file"].read(), format=data.validated_data["format"]
            )
        except FormatError as exc:
            raise exceptions.ValidationError({"file": [f"{exc} Nothing was imported."]}) from exc
        return Response({**report.__dict__, "summary": report.summary()}, status=status.HTTP_201_CREATED)
