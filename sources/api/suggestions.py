"""Suggestions: themes the project's recommenders propose, to accept or reject (docs/suggestions.md)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import RecommenderEvaluation, Suggestion
from ..selectors.annotation_roles import annotations_with_role
from ..selectors.projects import project_for_user
from ..selectors.scoping import with_my_role
from ..selectors.suggestions import evaluations_of, offered_to
from ..services.recommender_training import settings_of
from ..services.suggestions import suggestion_accept, suggestion_reject
from .annotations import AnnotationSerializer
from .errors import errors, list_errors
from .filters import SuggestionFilter
from .pagination import KeysetPagination
from .permissions import CanAnnotate
from .versioning import etag
from .viewsets import ScopedViewSet


class SuggestionSerializer(serializers.ModelSerializer):
    theme_slug = serializers.SlugField(source="theme.slug", read_only=True)

    class Meta:
        model = Suggestion
        fields = ["id", "passage", "theme", "theme_slug", "start", "end", "quote", "score", "recommender"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        responses={200: SuggestionSerializer(many=True), **list_errors()},
        description="The suggestions offered to the caller: of recommenders that beat the project's "
        "threshold on the theme, not rejected by the caller and not tagged by them already. By id.",
    ),
)
class SuggestionViewSet(mixins.ListModelMixin, ScopedViewSet):
    output_serializer_class = SuggestionSerializer
    filterset_class = SuggestionFilter
    pagination_class = KeysetPagination
    role_rules = {"accept": CanAnnotate, "reject": CanAnnotate}

    def get_queryset(self):
        user = self.request.user
        if not user.is_authenticated:
            return Suggestion.objects.none()
        return with_my_role(offered_to(user).order_by("id"), user, "project")

    @extend_schema(request=None, responses={201: AnnotationSerializer, **errors(400, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: int) -> Response:
        """The suggestion as the caller's own draft tag (outside sessions); answers the new annotation,
        which records the suggestion and recommender it came from."""
        suggestion = self.get_object()
        made = suggestion_accept(suggestion=suggestion, user=request.user)
        annotation = annotations_with_role(request.user).get(pk=made.pk)
        return Response(
            AnnotationSerializer(annotation).data,
            status=status.HTTP_201_CREATED,
            headers={"ETag": etag(annotation)},
        )

    @extend_schema(request=None, responses={204: None, **errors(403, 404)})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: int) -> Response:
        """Not offered to the caller again, and a negative example when the recommenders retrain."""
        suggestion_reject(suggestion=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EvaluationSerializer(serializers.ModelSerializer):
    theme_slug = serializers.SlugField(source="theme.slug", read_only=True)

    class Meta:
        model = RecommenderEvaluation
        fields = ["theme", "theme_slug", "recommender", "precision", "recall", "f1", "examples", "offered"]


class RecommendersSerializer(serializers.Serializer):
    min_precision = serializers.FloatField(
        help_text="Precision a recommender needs on a theme to be offered."
    )
    min_examples = serializers.IntegerField(help_text="Training tags a theme needs to be offered.")
    trained_at = serializers.DateTimeField(allow_null=True)
    evaluations = EvaluationSerializer(many=True, help_text="Cross-validated, per theme and recommender.")


class RecommendersView(APIView):
    @extend_schema(
        operation_id="project_recommenders", responses={200: RecommendersSerializer, **errors(404)}
    )
    def get(self, request: Request, slug: str) -> Response:
        """The recommenders' figures per theme, from their latest training run, and the threshold
        that decides which annotators are offered."""
        project, _ = project_for_user(request.user, slug)
        settings = settings_of(project)
        body = {
            "min_precision": settings.min_precision,
            "min_examples": settings.min_examples,
            "trained_at": settings.trained_at,
            "evaluations": list(evaluations_of(project)),
        }
        return Response(RecommendersSerializer(body).data)
