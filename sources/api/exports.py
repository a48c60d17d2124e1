"""Export and import a project's dataset (docs/api.md: `/api/projects/{slug}/export/` and `/import/`).

Exports stream (StreamingHttpResponse) in any export format for any member; imports are all or
nothing and for the project's owners and instructors, since they may add sources and themes."""

from typing import Any

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import permissions as roles
from ..formats.records import FormatError
from ..formats.spreadsheet import raw_requested
from ..selectors.export_pages import project_member
from ..selectors.projects import project_for_user
from ..services.exports import FORMATS as EXPORT_FORMATS
from ..services.exports import export_filters, export_stream
from ..services.imports import FORMATS as IMPORT_FORMATS
from ..services.imports import ImportRefused, annotations_import
from .errors import errors
from .parsers import UploadParser

W3C_PAGE_SIZE = 1000


class FormatIsOurs(DefaultContentNegotiation):
    """`?format=` names the export format here, not one of DRF's renderers; errors stay JSON."""

    def select_renderer(self, request: Request, renderers: list, format_suffix: str | None = None) -> tuple:
        return renderers[0], renderers[0].media_type


FILTERS = [
    OpenApiParameter("status", str, enum=["draft", "submitted", "approved", "rejected"]),
    OpenApiParameter("theme", str, description="theme slug; its sub-themes are included"),
    OpenApiParameter("source", int, description="source id"),
    OpenApiParameter("session", int, description="session id"),
    OpenApiParameter("author", str, description="username"),
]


class ExportView(APIView):
    content_negotiation_class = FormatIsOurs

    @extend_schema(
        operation_id="project_export",
        parameters=[
            OpenApiParameter("format", str, enum=sorted(EXPORT_FORMATS), required=True),
            *FILTERS,
            OpenApiParameter("page", int, description="w3c only: one AnnotationPage of a paged collection"),
            OpenApiParameter(
                "raw",
                bool,
                description="csv only: 1 writes text cells as they are; by default a cell starting with "
                "=, +, -, @, tab or carriage return gets a leading ' so spreadsheets do not run it",
            ),
        ],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The dataset as a file, streamed. "
                "Offsets count Unicode code points, end-exclusive.",
            ),
            **errors(400, 404),
        },
    )
    def get(self, request: Request, slug: str) -> StreamingHttpResponse:
        project, role = project_for_user(request.user, slug)
        if not roles.can_export(role):
            raise exceptions.PermissionDenied("Your role in this project does not allow exporting it.")
        params = request.query_params
        filters = export_filters(
            project=project,
            status=params.get("status"),
            theme=params.get("theme"),
            source=params.get("source"),
            session=params.get("session"),
            author=params.get("author"),
        )
        options: dict[str, Any] = {"raw": raw_requested(params.get("raw"))}
        if params.get("format") == "w3c":
            options["page_size"] = W3C_PAGE_SIZE
            query = params.copy()
            query.pop("page", None)
            options["collection"] = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
            if params.get("page") is not None:
                try:
                    options["page"] = max(0, int(params["page"]))
                except ValueError:
                    raise exceptions.ValidationError({"page": ["Give the page as a number."]}) from None
        export = export_stream(
            project=project,
            format=params.get("format", ""),
            filters=filters,
            viewer=request.user,
            **options,
        )
        response = StreamingHttpResponse(export.chunks, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    format = serializers.ChoiceField(choices=IMPORT_FORMATS)
    create_themes = serializers.BooleanField(default=False, help_text="Add themes the codebook lacks.")
    add_members = serializers.BooleanField(
        default=False, help_text="Users of this server named in the file join the project as annotators."
    )
    as_user = serializers.CharField(
        required=False,
        help_text="Member credited with work whose author is not a member of the project (default: you).",
    )


class SkippedSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    examples = serializers.ListField(child=serializers.CharField())


class ImportReportSerializer(serializers.Serializer):
    format = serializers.CharField()
    annotations_created = serializers.IntegerField()
    duplicates_skipped = serializers.IntegerField()
    sources_created = serializers.IntegerField()
    claims_created = serializers.IntegerField()
    evidence_created = serializers.IntegerField()
    suggestions_created = serializers.IntegerField(
        help_text="Predictions another tool's model made (Label Studio's), imported as suggestions."
    )
    comments_created = serializers.IntegerField(help_text="Comments on passages (JSONL, W3C).")
    themes_created = serializers.ListField(child=serializers.CharField())
    members_added = serializers.ListField(child=serializers.CharField())
    skipped = serializers.DictField(
        child=SkippedSerializer(),
        help_text="What the file holds that the project cannot, by kind: a count and a few examples.",
    )
    summary = serializers.CharField()


class ImportView(APIView):
    parser_classes = [UploadParser]

    @extend_schema(
        operation_id="project_import",
        request={"multipart/form-data": ImportSerializer},
        responses={201: ImportReportSerializer, **errors(400, 403, 404, 413)},
    )
    def post(self, request: Request, slug: str) -> Response:
        project, role = project_for_user(request.user, slug)
        if not roles.can_manage(role):
            raise exceptions.PermissionDenied("Only the project's owners and instructors import into it.")
        data = ImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        as_user = request.user
        if data.validated_data.get("as_user"):
            as_user = project_member(project, data.validated_data["as_user"])
            if as_user is None:
                raise exceptions.ValidationError({"as_user": ["No member of the project has this username."]})
        try:
            report = annotations_import(
                project=project,
                file=data.validated_data["file"],
                format=data.validated_data["format"],
                as_user=as_user,
                create_themes=data.validated_data["create_themes"],
                members_only=True,
                add_members=data.validated_data["add_members"],
            )
        except (FormatError, ImportRefused) as exc:
            raise exceptions.ValidationError({"file": [f"{exc} Nothing was imported."]}) from exc
        body = ImportReportSerializer({**report.__dict__, "summary": report.summary()}).data
        return Response(body, status=201)
