"""Claims under study, and the evidence linking passages to them."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from ..models import Annotation, Claim, Evidence, Passage, Project, Relation, Session, Source
from ..selectors.annotation_roles import annotations_with_role
from ..selectors.claims import claims_for_user, evidence_for_user
from ..selectors.projects import projects_for_user
from ..selectors.sessions import sessions_for_user
from ..selectors.sources import passages_for_user, sources_for_user
from ..services.claims import (
    claim_create,
    claim_delete,
    claim_update,
    evidence_create,
    evidence_delete,
    evidence_update,
)
from .errors import errors, list_errors
from .fields import ScopedPrimaryKeyRelatedField
from .filters import ClaimFilter, EvidenceFilter
from .permissions import CanAnnotate, CanChangeWork
from .versioning import IF_MATCH, etag, expected_version
from .viewsets import ScopedViewSet, Versioned


class ClaimSerializer(serializers.ModelSerializer):
    class Meta:
        model = Claim
        fields = ["id", "project", "text", "author", "source", "session", "version", "created", "updated"]
        read_only_fields = fields


class ClaimUpdateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10_000)
    source = ScopedPrimaryKeyRelatedField(
        sources_for_user, model=Source, allow_null=True, help_text="The source stating the claim, if any."
    )


def in_session(help_text: str) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        lambda user: sessions_for_user(user, with_members=False),
        model=Session,
        allow_null=True,
        default=None,
        help_text=help_text,
    )


class ClaimCreateSerializer(ClaimUpdateSerializer):
    project = ScopedPrimaryKeyRelatedField(projects_for_user, model=Project)
    source = ScopedPrimaryKeyRelatedField(
        sources_for_user,
        model=Source,
        allow_null=True,
        default=None,
        help_text="The source stating the claim, if any.",
    )
    session = in_session("The session it is written in: a blind one hides it from the other annotators.")


@extend_schema_view(
    list=extend_schema(responses={200: ClaimSerializer(many=True), **list_errors()}),
    retrieve=extend_schema(responses={200: ClaimSerializer, **errors(404)}),
)
class ClaimViewSet(Versioned, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    output_serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    role_rules = {"create": CanAnnotate, "partial_update": CanChangeWork, "destroy": CanChangeWork}

    def get_queryset(self):
        return claims_for_user(self.request.user)

    @extend_schema(request=ClaimCreateSerializer, responses={201: ClaimSerializer, **errors(400, 403)})
    def create(self, request: Request) -> Response:
        data = self.validated(ClaimCreateSerializer)
        self.check_object_permissions(request, data["project"])
        claim = self.fetched(claim_create(author=request.user, **data))
        return self.respond(claim, status.HTTP_201_CREATED, ETag=etag(claim))

    @extend_schema(
        parameters=[IF_MATCH],
        request=ClaimUpdateSerializer,
        responses={200: ClaimSerializer, **errors(400, 403, 404, 412)},
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        claim = self.get_object()
        data = self.validated(ClaimUpdateSerializer, partial=True)
        version = expected_version(request, claim)
        claim = self.fetched(claim_update(claim=claim, expected_version=version, **data))
        return self.respond(claim, ETag=etag(claim))

    @extend_schema(
        parameters=[IF_MATCH],
        responses={204: None, **errors(403, 404, 412)},
        description="Deletes the claim with its evidence links.",
    )
    def destroy(self, request: Request, pk: int) -> Response:
        claim = self.get_object()
        claim_delete(claim=claim, expected_version=expected_version(request, claim))
        return Response(status=status.HTTP_204_NO_CONTENT)


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = [
            "id",
            "claim",
            "passage",
            "annotation",
            "relation",
            "author",
            "session",
            "note",
            "status",
            "version",
            "created",
            "updated",
        ]
        read_only_fields = fields


class EvidenceUpdateSerializer(serializers.Serializer):
    relation = serializers.ChoiceField(
        choices=Relation.choices,
        help_text="supports: a reason to accept the claim; contradicts: a reason to reject it; "
        "qualifies: limits its scope or conditions without rejecting it.",
    )
    note = serializers.CharField(allow_blank=True, trim_whitespace=False)
    annotation = ScopedPrimaryKeyRelatedField(
        annotations_with_role, model=Annotation, allow_null=True, help_text="A span on the passage, if any."
    )


class EvidenceCreateSerializer(EvidenceUpdateSerializer):
    claim = ScopedPrimaryKeyRelatedField(claims_for_user, model=Claim)
    passage = ScopedPrimaryKeyRelatedField(passages_for_user, model=Passage)
    note = serializers.CharField(allow_blank=True, trim_whitespace=False, default="")
    annotation = ScopedPrimaryKeyRelatedField(
        annotations_with_role,
        model=Annotation,
        allow_null=True,
        default=None,
        help_text="A span on the passage, if any.",
    )
    session = in_session(
        "The session it is linked in (by default the span's, when the span is yours): a blind one hides "
        "it from the other annotators."
    )


@extend_schema_view(
    list=extend_schema(responses={200: EvidenceSerializer(many=True), **list_errors()}),
    retrieve=extend_schema(responses={200: EvidenceSerializer, **errors(404)}),
)
class EvidenceViewSet(Versioned, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    output_serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilter
    role_rules = {"create": CanAnnotate, "partial_update": CanChangeWork, "destroy": CanChangeWork}

    def get_queryset(self):
        return evidence_for_user(self.request.user)

    @extend_schema(
        request=EvidenceCreateSerializer, responses={201: EvidenceSerializer, **errors(400, 403, 409)}
    )
    def create(self, request: Request) -> Response:
        data = self.validated(EvidenceCreateSerializer)
        self.check_object_permissions(request, data["claim"])
        evidence = self.fetched(evidence_create(author=request.user, **data))
        return self.respond(evidence, status.HTTP_201_CREATED, ETag=etag(evidence))

    @extend_schema(
        parameters=[IF_MATCH],
        request=EvidenceUpdateSerializer,
        responses={200: EvidenceSerializer, **errors(400, 403, 404, 409, 412)},
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        evidence = self.get_object()
        data = self.validated(EvidenceUpdateSerializer, partial=True)
        version = expected_version(request, evidence)
        evidence = self.fetched(evidence_update(evidence=evidence, expected_version=version, **data))
        return self.respond(evidence, ETag=etag(evidence))

    @extend_schema(parameters=[IF_MATCH], responses={204: None, **errors(403, 404, 412)})
    def destroy(self, request: Request, pk: int) -> Response:
        evidence = self.get_object()
        evidence_delete(evidence=evidence, expected_version=expected_version(request, evidence))
        return Response(status=status.HTTP_204_NO_CONTENT)
