"""Sources: upload a .txt, .md or .pdf and it is split into passages."""

from django.conf import settings
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from ..ingest import IngestError
from ..models import Project, Source
from ..selectors.projects import projects_for_user
from ..selectors.sources import sources_for_user
from ..services.sources import source_import
from .errors import errors, list_errors
from .exceptions import PayloadTooLarge
from .fields import ScopedPrimaryKeyRelatedField
from .filters import SourceFilter
from .pagination import PagePagination
from .parsers import UploadParser
from .permissions import CanManage
from .viewsets import ScopedViewSet


class SourceSerializer(serializers.ModelSerializer):
    passage_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Source
        fields = [
            "id",
            "project",
            "title",
            "authors",
            "year",
            "language",
            "citation",
            "filename",
            "sha256",
            "added_by",
            "created",
            "passage_count",
        ]
        read_only_fields = fields


class SourceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A .txt or .md file (UTF-8), or a .pdf with a text layer.")
    project = ScopedPrimaryKeyRelatedField(projects_for_user, model=Project)
    title = serializers.CharField(max_length=500, required=False, help_text="The document's own, by default.")
    authors = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        help_text='Repeat the field once per author, or give them in one as "Doe J.; Roe R.".',
    )
    year = serializers.IntegerField(min_value=1000, max_value=2999, required=False, allow_null=True)
    language = serializers.RegexField(
        r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*$",
        max_length=8,
        required=False,
        help_text="ISO 639-1 code, e.g. en, ru, kk; detected per passage when omitted.",
    )
    citation = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_authors(self, authors: list[str]) -> list[str]:
        return [name.strip() for entry in authors for name in entry.split(";") if name.strip()]


@extend_schema_view(
    list=extend_schema(responses={200: SourceSerializer(many=True), **list_errors()}),
    retrieve=extend_schema(responses={200: SourceSerializer, **errors(404)}),
)
class SourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    output_serializer_class = SourceSerializer
    filterset_class = SourceFilter
    pagination_class = PagePagination
    http_method_names = ["get", "post", "head", "options"]
    role_rules = {"create": CanManage}

    def get_queryset(self):
        return sources_for_user(self.request.user)

    parser_classes = [UploadParser]

    @extend_schema(
        request={"multipart/form-data": SourceUploadSerializer},
        responses={201: SourceSerializer, **errors(400, 403, 409, 413)},
        description="Ingests the file into a new source and its passages. 409 when the project already "
        "has this text (`existing_id` names that source); 400 naming the problem for an empty, binary "
        "or non-UTF-8 file; 413 over the upload limit.",
    )
    def create(self, request: Request) -> Response:
        data = self.validated(SourceUploadSerializer)
        project = data.pop("project")
        self.check_object_permissions(request, project)
        upload = data.pop("file")
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise PayloadTooLarge(
                f"The file has {upload.size} bytes; the limit is {settings.MAX_UPLOAD_BYTES}."
            )
        try:
            source = source_import(
                project=project, data=upload.read(), filename=upload.name, added_by=request.user, **data
            )
        except IngestError as error:
            raise serializers.ValidationError({"file": [str(error)]}) from error
        return self.respond(self.fetched(source), status.HTTP_201_CREATED)
