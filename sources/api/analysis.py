"""The analysis views through the API (`/api/projects/{slug}/analysis/{view}/`, docs/analysis.md):
the same selectors and filters as the analysis page, for every member, within what blind sessions
let the caller see."""

from __future__ import annotations

from collections.abc import Callable

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..selectors.analysis.claim_map import claim_map
from ..selectors.analysis.comparison import GROUPINGS, comparison
from ..selectors.analysis.counts import BY, cooccurrence, theme_matrix
from ..selectors.analysis.filters import STATUSES, InvalidFilter, Scope, analysis_scope, read_filters
from ..selectors.analysis.timeline import timeline
from ..selectors.projects import project_for_user
from .errors import errors

FILTER_PARAMETERS = [
    OpenApiParameter(
        "status",
        str,
        enum=list(STATUSES),
        description="Annotations of this status, or `all`; by default approved ones, or submitted ones "
        "while nothing is approved.",
    ),
    OpenApiParameter("session", int, description="session id: work of that session only"),
    OpenApiParameter("annotator", int, description="user id: work by that member only"),
    OpenApiParameter("source", int, description="source id: passages of that source only"),
    OpenApiParameter("theme", str, description="theme slug: that theme and its sub-themes only"),
]


class Scoped(serializers.Serializer):
    status = serializers.CharField(help_text="The status counted: the one asked for, or the default.")


class MatrixSerializer(Scoped):
    by = serializers.ChoiceField(choices=BY)
    rows = serializers.ListField(
        child=serializers.JSONField(), help_text="Source ids; with by=section, [source id, section] pairs."
    )
    row_labels = serializers.ListField(child=serializers.CharField())
    passages = serializers.ListField(child=serializers.IntegerField(), help_text="Passages in each row.")
    themes = serializers.ListField(child=serializers.CharField(), help_text="Theme slugs, codebook order.")
    counts = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="Rows by themes: passages with at least one tag of the theme or a sub-theme.",
    )
    shares = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(allow_null=True)),
        help_text="Counts over the row's passages.",
    )


class CooccurrenceSerializer(Scoped):
    themes = serializers.ListField(child=serializers.CharField())
    counts = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="Themes by themes: passages tagged with both (the diagonal: with the theme).",
    )
    jaccard = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(allow_null=True)),
        help_text="Passages with both over passages with either; null when neither has any.",
    )


class ClaimNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    links = serializers.IntegerField()


class SourceNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    links = serializers.IntegerField()


class EdgeSerializer(serializers.Serializer):
    claim = serializers.IntegerField()
    source = serializers.IntegerField()
    relation = serializers.CharField()
    links = serializers.IntegerField(help_text="Evidence links from the claim to passages of the source.")


class ClaimMapSerializer(Scoped):
    claims = ClaimNodeSerializer(many=True)
    sources = SourceNodeSerializer(many=True)
    edges = EdgeSerializer(many=True)
    relations = serializers.ListField(child=serializers.CharField())
    truncated = serializers.BooleanField(help_text="More claims than shown (the first 500 by id are).")


class GroupSerializer(serializers.Serializer):
    label = serializers.CharField()
    sources = serializers.ListField(child=serializers.IntegerField())
    passages = serializers.IntegerField()


class ThemeComparisonSerializer(serializers.Serializer):
    theme = serializers.CharField()
    label = serializers.CharField()
    count_a = serializers.IntegerField()
    count_b = serializers.IntegerField()
    share_a = serializers.FloatField(allow_null=True)
    share_b = serializers.FloatField(allow_null=True)
    ci_a = serializers.ListField(child=serializers.FloatField(), allow_null=True)
    ci_b = serializers.ListField(child=serializers.FloatField(), allow_null=True)
    p = serializers.FloatField(allow_null=True)
    test = serializers.CharField(allow_blank=True, help_text="Fisher's exact test or chi-square test.")
    p_adjusted = serializers.FloatField(allow_null=True)
    significant = serializers.BooleanField()
    note = serializers.CharField(
        allow_blank=True, help_text="In plain words, when the difference is significant."
    )


class ComparisonSerializer(Scoped):
    by = serializers.ChoiceField(choices=GROUPINGS)
    groups = GroupSerializer(many=True)
    themes = ThemeComparisonSerializer(many=True)
    alpha = serializers.FloatField()
    test = serializers.CharField()
    interval = serializers.CharField()


class TimelineSerializer(Scoped):
    days = serializers.ListField(child=serializers.DateField())
    annotators = serializers.ListField(child=serializers.CharField())
    counts = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="Annotators by days: tags made.",
    )


class AnalysisView(APIView):
    """One analysis view: `answer` computes it from the scope and the query."""

    answer: Callable[[Scope, Request], dict]

    def get(self, request: Request, slug: str) -> Response:
        project, _ = project_for_user(request.user, slug)
        try:
            scope = analysis_scope(request.user, project, read_filters(request.query_params))
            result = self.answer(scope, request)
        except InvalidFilter as invalid:
            raise exceptions.ValidationError(
                {name: [message] for name, message in invalid.errors.items()}
            ) from invalid
        return Response({"status": scope.status, **result})


def _schema(operation: str, serializer: type[serializers.Serializer], *extra: OpenApiParameter):
    return extend_schema(
        operation_id=f"project_analysis_{operation}",
        parameters=[*FILTER_PARAMETERS, *extra],
        responses={200: serializer, **errors(400, 404)},
    )


class MatrixView(AnalysisView):
    @staticmethod
    def answer(scope: Scope, request: Request) -> dict:
        return theme_matrix(scope, request.query_params.get("by") or "source").as_dict()

    @_schema("matrix", MatrixSerializer, OpenApiParameter("by", str, enum=list(BY), description="rows"))
    def get(self, request: Request, slug: str) -> Response:
        """Passages per source (or section) and theme, sub-themes counted under their parents."""
        return super().get(request, slug)


class CooccurrenceView(AnalysisView):
    @staticmethod
    def answer(scope: Scope, request: Request) -> dict:
        return cooccurrence(scope).as_dict()

    @_schema("cooccurrence", CooccurrenceSerializer)
    def get(self, request: Request, slug: str) -> Response:
        """Passages tagged with both themes of each pair, and the Jaccard index of the pair."""
        return super().get(request, slug)


class ClaimMapView(AnalysisView):
    @staticmethod
    def answer(scope: Scope, request: Request) -> dict:
        return claim_map(scope).as_dict()

    @_schema("claims", ClaimMapSerializer)
    def get(self, request: Request, slug: str) -> Response:
        """Claims, the sources of their evidence, and an edge per claim, source and relation."""
        return super().get(request, slug)


class ComparisonView(AnalysisView):
    @staticmethod
    def answer(scope: Scope, request: Request) -> dict:
        return comparison(scope, request.query_params).as_dict()

    @_schema(
        "compare",
        ComparisonSerializer,
        OpenApiParameter("by", str, enum=list(GROUPINGS), description="what a group is (default: source)"),
        OpenApiParameter(
            "a", str, required=True, description="source ids (comma-separated), author or language"
        ),
        OpenApiParameter("b", str, required=True, description="the other group, the same way"),
    )
    def get(self, request: Request, slug: str) -> Response:
        """Each theme's share of two groups' passages, with intervals and a test of the difference."""
        return super().get(request, slug)


class TimelineView(AnalysisView):
    @staticmethod
    def answer(scope: Scope, request: Request) -> dict:
        return timeline(scope).as_dict()

    @_schema("timeline", TimelineSerializer)
    def get(self, request: Request, slug: str) -> Response:
        """Tags made per day by each annotator (filter by session for a session's progress)."""
        return super().get(request, slug)


VIEWS = {
    "matrix": MatrixView,
    "cooccurrence": CooccurrenceView,
    "claims": ClaimMapView,
    "compare": ComparisonView,
    "timeline": TimelineView,
}
