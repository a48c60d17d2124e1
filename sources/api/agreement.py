"""Inter-annotator agreement of a session (`/api/projects/{slug}/agreement/`), for instructors."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import permissions as roles
from ..models import Session, Source, Theme
from ..selectors.agreement import session_agreement
from ..selectors.projects import project_for_user
from .errors import errors


class ReliabilitySerializer(serializers.Serializer):
    items = serializers.IntegerField(
        help_text="Units judged: passages, headings excluded (for overall, passages times themes)."
    )
    annotators = serializers.IntegerField(help_text="Participants who submitted.")
    krippendorff_alpha = serializers.FloatField(allow_null=True)
    cohen_kappa = serializers.FloatField(allow_null=True, help_text="Only with exactly two annotators.")
    fleiss_kappa = serializers.FloatField(allow_null=True)
    percent_agreement = serializers.FloatField(allow_null=True)


class ThemeReliabilitySerializer(ReliabilitySerializer):
    theme = serializers.CharField()


class SpanAgreementSerializer(serializers.Serializer):
    annotators = serializers.ListField(child=serializers.CharField())
    theme = serializers.CharField()
    precision = serializers.FloatField(allow_null=True)
    recall = serializers.FloatField(allow_null=True)
    f1 = serializers.FloatField(allow_null=True)
    spans = serializers.ListField(child=serializers.IntegerField(), help_text="Span counts of the two.")


class AgreementSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    annotators = serializers.ListField(child=serializers.CharField())
    themes = ThemeReliabilitySerializer(many=True)
    overall = ReliabilitySerializer()
    spans = SpanAgreementSerializer(many=True, help_text="Overlap F1 between each pair of annotators.")


class AgreementQuerySerializer(serializers.Serializer):
    session = serializers.IntegerField()
    theme = serializers.SlugField(required=False)
    source = serializers.IntegerField(required=False)


class AgreementView(APIView):
    @extend_schema(
        operation_id="project_agreement",
        parameters=[
            OpenApiParameter("session", int, required=True, description="session id"),
            OpenApiParameter("theme", str, description="theme slug"),
            OpenApiParameter("source", int, description="source id"),
        ],
        responses={200: AgreementSerializer, **errors(400, 403, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        """Krippendorff's alpha, Cohen's and Fleiss' kappa and percent agreement per theme and overall:
        one binary judgement per (annotator, passage, theme) among the participants who submitted."""
        project, role = project_for_user(request.user, slug)
        if not roles.can_review(role):
            raise exceptions.PermissionDenied("Only the project's owners and instructors see agreement.")
        query = AgreementQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        session = Session.objects.filter(project=project, pk=params["session"]).first()
        if session is None:
            raise exceptions.ValidationError({"session": ["No such session in this project."]})
        if "theme" in params and not Theme.objects.filter(project=project, slug=params["theme"]).exists():
            raise exceptions.ValidationError({"theme": [f"The project has no theme '{params['theme']}'."]})
        if "source" in params and not Source.objects.filter(project=project, pk=params["source"]).exists():
            raise exceptions.ValidationError({"source": ["No such source in this project."]})
        result = session_agreement(
            project=project, session=session, theme_slug=params.get("theme"), source_id=params.get("source")
        )
        return Response(AgreementSerializer(result).data)
