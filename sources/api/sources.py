"""Sources: upload a .txt, .md or .pdf and it is split into passages (above SOURCE_BACKGROUND_BYTES by
the task worker: 202 with the job's URL); change a source's metadata; delete it (restorable)."""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from ..ingest import IngestError
from ..models import Project, Source, SourceUpload
from ..selectors.projects import projects_for_user
from ..selectors.sources import sources_for_user
from ..selectors.uploads import source_uploads_for_user
from ..services.source_removal import source_delete
from ..services.source_uploads import is_large, upload_confirm, upload_stage
from ..services.sources import source_import, source_update
from .errors import errors, list_errors
from .exceptions import PayloadTooLarge
from .fields import ScopedPrimaryKeyRelatedField
from .filters import SourceFilter
from .pagination import PagePagination
from .parsers import JSONParser, UploadParser
from .permissions import CanManage
from .viewsets import ScopedViewSet

LANGUAGE = r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*$"


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
            "notes",
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
        LANGUAGE,
        max_length=8,
        required=False,
        help_text="ISO 639-1 code, e.g. en, ru, kk; detected per passage when omitted.",
    )
    citation = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_authors(self, authors: list[str]) -> list[str]:
        return [name.strip() for entry in authors for name in entry.split(";") if name.strip()]


class SourceUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500)
    authors = serializers.ListField(child=serializers.CharField(max_length=200), max_length=200)
    year = serializers.IntegerField(min_value=1000, max_value=2999, allow_null=True)
    language = serializers.RegexField(LANGUAGE, max_length=8, allow_blank=True)
    citation = serializers.CharField(allow_blank=True)
    notes = serializers.CharField(allow_blank=True, max_length=20_000)


class SourceJobSerializer(serializers.ModelSerializer):
    source = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The new source's id once `status` is done."
    )

    class Meta:
        model = SourceUpload
        fields = [
            "id",
            "project",
            "filename",
            "size",
            "status",
            "percent",
            "error",
            "source",
            "created",
            "finished",
        ]
        read_only_fields = fields


class SourceJobStartedSerializer(serializers.Serializer):
    job = serializers.URLField(help_text="Poll it for the state and progress of the ingestion.")
    id = serializers.IntegerField()
    status = serializers.CharField()


@extend_schema_view(
    list=extend_schema(responses={200: SourceSerializer(many=True), **list_errors()}),
    retrieve=extend_schema(responses={200: SourceSerializer, **errors(404)}),
)
class SourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    output_serializer_class = SourceSerializer
    filterset_class = SourceFilter
    pagination_class = PagePagination
    role_rules = {"create": CanManage, "partial_update": CanManage, "destroy": CanManage}
    parser_classes = [UploadParser, JSONParser]

    def get_queryset(self):
        return sources_for_user(self.request.user)

    @extend_schema(
        request={"multipart/form-data": SourceUploadSerializer},
        responses={
            201: SourceSerializer,
            202: OpenApiResponse(
                SourceJobStartedSerializer,
                description="A file over SOURCE_BACKGROUND_BYTES is ingested by the task worker: poll "
                "`job` (also in `Location`) until its status is done or failed.",
            ),
            **errors(400, 403, 409, 413),
        },
        description="Ingests the file into a new source and its passages. 409 when the project already "
        "has this text (`existing_id` names that source); 400 naming the problem for an empty, binary "
        "or non-UTF-8 file; 413 over the upload limit. One file per request: upload several files with "
        "several requests.",
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
        if is_large(upload.size):
            job = upload_confirm(
                upload=upload_stage(project=project, user=request.user, file=upload), metadata=data
            )
            url = request.build_absolute_uri(reverse("api:source-job", kwargs={"pk": job.pk}))
            return Response(
                {"job": url, "id": job.pk, "status": job.status},
                status=status.HTTP_202_ACCEPTED,
                headers={"Location": url},
            )
        try:
            source = source_import(
                project=project, data=upload.read(), filename=upload.name, added_by=request.user, **data
            )
        except IngestError as error:
            raise serializers.ValidationError({"file": [str(error)]}) from error
        return self.respond(self.fetched(source), status.HTTP_201_CREATED)

    @extend_schema(request=SourceUpdateSerializer, responses={200: SourceSerializer, **errors(400, 403, 404)})
    def partial_update(self, request: Request, pk: int) -> Response:
        """Change the source's metadata; its text and passages stay as ingested."""
        source = self.get_object()
        data = self.validated(SourceUpdateSerializer, partial=True)
        return self.respond(self.fetched(source_update(source=source, **data)))

    @extend_schema(
        responses={204: None, **errors(403, 404, 409)},
        description="Deletes the source with its passages and the tags, evidence and reviews on them; "
        "an owner or instructor restores it from the upload page. 409 while discussions hang from it.",
    )
    def destroy(self, request: Request, pk: int) -> Response:
        source_delete(source=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SourceJobView(generics.RetrieveAPIView):
    """The state and progress of a source ingested in the background (for the project's owners and
    instructors)."""

    serializer_class = SourceJobSerializer

    def get_queryset(self):
        return source_uploads_for_user(self.request.user)
