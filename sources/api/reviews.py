"""Review decisions: owners and instructors approve, reject (saying why) or comment."""

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ..models import Annotation, Decision, Evidence, Review
from ..selectors.annotation_roles import annotations_with_role
from ..selectors.claims import evidence_for_user
from ..selectors.reviews import reviews_for_user
from ..services.reviews import review_create
from .errors import errors, list_errors
from .fields import ScopedPrimaryKeyRelatedField
from .filters import ReviewFilter
from .permissions import CanReview
from .viewsets import ScopedViewSet


class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = Review
        fields = ["id", "annotation", "evidence", "reviewer", "decision", "comment", "created"]
        read_only_fields = fields


class ReviewCreateSerializer(serializers.Serializer):
    annotation = ScopedPrimaryKeyRelatedField(
        annotations_with_role,
        model=Annotation,
        allow_null=True,
        default=None,
        help_text="The annotation reviewed; or give `evidence`.",
    )
    evidence = ScopedPrimaryKeyRelatedField(
        evidence_for_user,
        model=Evidence,
        allow_null=True,
        default=None,
        help_text="The evidence link reviewed; or give `annotation`.",
    )
    decision = serializers.ChoiceField(
        choices=Decision.choices, help_text="approve and reject set the status; comment leaves it."
    )
    comment = serializers.CharField(allow_blank=True, default="", help_text="Required when rejecting.")

    def validate(self, data: dict) -> dict:
        if (data["annotation"] is None) == (data["evidence"] is None):
            raise serializers.ValidationError("Review exactly one annotation or one evidence link.")
        return data


class BulkReviewSerializer(serializers.Serializer):
    annotations = ScopedPrimaryKeyRelatedField(
        annotations_with_role, model=Annotation, many=True, default=list
    )
    evidence = ScopedPrimaryKeyRelatedField(evidence_for_user, model=Evidence, many=True, default=list)
    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(allow_blank=True, default="", help_text="Required when rejecting.")

    def validate(self, data: dict) -> dict:
        if not data["annotations"] and not data["evidence"]:
            raise serializers.ValidationError("Name at least one annotation or evidence link.")
        if len(data["annotations"]) + len(data["evidence"]) > 500:
            raise serializers.ValidationError("Review at most 500 items at once.")
        return data


@extend_schema_view(
    list=extend_schema(responses={200: ReviewSerializer(many=True), **list_errors()}),
    retrieve=extend_schema(responses={200: ReviewSerializer, **errors(404)}),
)
class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    output_serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    role_rules = {"create": CanReview, "bulk": CanReview}

    def get_queryset(self):
        return reviews_for_user(self.request.user)

    @extend_schema(request=ReviewCreateSerializer, responses={201: ReviewSerializer, **errors(400, 403)})
    def create(self, request: Request) -> Response:
        data = self.validated(ReviewCreateSerializer)
        self.check_object_permissions(request, data["annotation"] or data["evidence"])
        review = review_create(reviewer=request.user, **data)
        return self.respond(review, status.HTTP_201_CREATED)

    @extend_schema(
        request=BulkReviewSerializer, responses={201: ReviewSerializer(many=True), **errors(400, 403)}
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def bulk(self, request: Request) -> Response:
        """One decision on many annotations and evidence links at once: all of them, or none."""
        data = self.validated(BulkReviewSerializer)
        targets = [("annotation", a) for a in data["annotations"]] + [
            ("evidence", e) for e in data["evidence"]
        ]
        for _, target in targets:
            self.check_object_permissions(request, target)
        with transaction.atomic():
            reviews = [
                review_create(
                    reviewer=request.user, decision=data["decision"], comment=data["comment"], **{kind: t}
                )
                for kind, t in targets
            ]
        return Response(ReviewSerializer(reviews, many=True).data, status=status.HTTP_201_CREATED)
