"""Session actions beyond set-up: submitting one's work, the answer key, scores, rubric and grades."""

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from .. import permissions as roles
from ..formats.gradebook import gradebook_csv
from ..formats.spreadsheet import raw_requested
from ..models import Session
from ..selectors.grades import grades_visible_to, rubric_of
from ..selectors.members import active_users
from ..selectors.scores import session_scores
from ..services.errors import ConflictError
from ..services.feedback import answer_key_set, grade_set, grades_release, rubric_set
from ..services.sessions import session_submit
from .errors import errors


class SubmittedSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    submitted = serializers.IntegerField(
        help_text="How many of the caller's draft annotations were submitted."
    )


class AnswerKeySerializer(serializers.Serializer):
    author = serializers.PrimaryKeyRelatedField(
        queryset=active_users(),
        allow_null=True,
        help_text="The user whose annotations of this session are the key; null removes the key.",
    )


class ThemeScoreSerializer(serializers.Serializer):
    theme = serializers.CharField()
    precision = serializers.FloatField(allow_null=True)
    recall = serializers.FloatField(allow_null=True)
    kappa = serializers.FloatField(allow_null=True)


class ParticipantScoreSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    username = serializers.CharField()
    themes = ThemeScoreSerializer(many=True)


class ScoresSerializer(serializers.Serializer):
    participants = ParticipantScoreSerializer(many=True)


class CriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, default="")
    max_points = serializers.IntegerField(min_value=1, max_value=10000)
    order = serializers.IntegerField(read_only=True)


class RubricSerializer(serializers.Serializer):
    criteria = CriterionSerializer(many=True)


class PointsSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    name = serializers.CharField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    max_points = serializers.IntegerField()


class GradeSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    username = serializers.CharField()
    feedback = serializers.CharField()
    scores = PointsSerializer(many=True)
    total = serializers.DecimalField(max_digits=8, decimal_places=2)
    max_total = serializers.IntegerField()
    released_at = serializers.DateTimeField(allow_null=True)


class GradeInputSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2),
        help_text='Points per criterion id, e.g. {"12": 4, "13": 2.5}.',
    )
    feedback = serializers.CharField(allow_blank=True, default="", max_length=20000)

    def validate_scores(self, value: dict) -> dict[int, object]:
        try:
            return {int(key): points for key, points in value.items()}
        except ValueError:
            raise serializers.ValidationError("Keys must be criterion ids.") from None


class ReleasedSerializer(serializers.Serializer):
    released = serializers.IntegerField(help_text="How many grades became visible to their students now.")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise exceptions.PermissionDenied(message)


LEADS_ONLY = "Only the project's owners and instructors do this."


class SessionFeedbackActions:
    """Mixed into the sessions viewset: `self.get_object()` is the session, scoped and with `my_role`."""

    @extend_schema(request=None, responses={200: SubmittedSerializer, **errors(400, 403, 404, 409)})
    @action(detail=True, methods=["post"], filter_backends=[])
    def submit(self, request: Request, pk: int) -> Response:
        """Submit the caller's work in the session: their draft annotations of it become `submitted`."""
        session: Session = self.get_object()
        _require(roles.can_annotate(session.my_role), "Your role in this project does not allow annotating.")
        count = session_submit(session=session, user=request.user)
        return Response({"session": session.pk, "submitted": count})

    @extend_schema(request=AnswerKeySerializer, responses={200: AnswerKeySerializer, **errors(400, 403, 404)})
    @action(detail=True, methods=["put"], filter_backends=[], url_path="answer-key")
    def answer_key(self, request: Request, pk: int) -> Response:
        """Make a user's annotations of this session its answer key."""
        session: Session = self.get_object()
        _require(roles.can_review(session.my_role), LEADS_ONLY)
        data = self.validated(AnswerKeySerializer)
        session = answer_key_set(session=session, author=data["author"])
        return Response({"author": session.answer_key_author_id})

    @extend_schema(responses={200: ScoresSerializer, **errors(403, 404, 409)})
    @action(detail=True, methods=["get"], filter_backends=[])
    def scores(self, request: Request, pk: int) -> Response:
        """Precision, recall and kappa per theme against the answer key, at passage level. Instructors
        see every participant; an annotator sees their own row once the session has closed."""
        session: Session = self.get_object()
        lead = roles.can_review(session.my_role)
        if not lead:
            _require(roles.can_annotate(session.my_role), "Observers do not see scores.")
            _require(timezone.now() >= session.closes_at, "Scores are shown once the session has closed.")
        if session.answer_key_author_id is None:
            raise ConflictError("This session has no answer key yet.")
        rows = session_scores(
            session=session,
            key_author_id=session.answer_key_author_id,
            user_ids=None if lead else [request.user.pk],
        )
        return Response(ScoresSerializer({"participants": rows}).data)

    @extend_schema(responses={200: RubricSerializer, **errors(404)}, methods=["GET"])
    @extend_schema(
        request=RubricSerializer, responses={200: RubricSerializer, **errors(400, 403, 404)}, methods=["PUT"]
    )
    @action(detail=True, methods=["get", "put"], filter_backends=[])
    def rubric(self, request: Request, pk: int) -> Response:
        """The grading rubric: criteria with their maximum points. PUT replaces it (instructors)."""
        session: Session = self.get_object()
        if request.method == "PUT":
            _require(roles.can_review(session.my_role), LEADS_ONLY)
            rubric_set(session=session, criteria=self.validated(RubricSerializer)["criteria"])
        return Response(RubricSerializer({"criteria": rubric_of(session)}).data)

    @extend_schema(responses={200: GradeSerializer(many=True), **errors(404)})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def grades(self, request: Request, pk: int) -> Response:
        """Grades on the rubric: all for instructors; for a student, their own once released."""
        session: Session = self.get_object()
        return Response(
            GradeSerializer(grades_visible_to(session, request.user, session.my_role), many=True).data
        )

    @extend_schema(request=GradeInputSerializer, responses={200: GradeSerializer, **errors(400, 403, 404)})
    @action(
        detail=True, methods=["put"], filter_backends=[], url_path="grades/<int:user_id>", url_name="grade"
    )
    def grade(self, request: Request, pk: int, user_id: int) -> Response:
        """Grade one participant: points per criterion and written feedback."""
        session: Session = self.get_object()
        _require(roles.can_review(session.my_role), LEADS_ONLY)
        annotator = get_object_or_404(get_user_model(), pk=user_id, annotation_sessions=session)
        data = self.validated(GradeInputSerializer)
        grade_set(session=session, annotator=annotator, graded_by=request.user, **data)
        [view] = [
            g for g in grades_visible_to(session, request.user, session.my_role) if g.user == annotator.pk
        ]
        return Response(GradeSerializer(view).data)

    @extend_schema(request=None, responses={200: ReleasedSerializer, **errors(403, 404)})
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        url_path="grades/release",
        url_name="grades-release",
    )
    def release_grades(self, request: Request, pk: int) -> Response:
        """Let students see their grades and feedback."""
        session: Session = self.get_object()
        _require(roles.can_review(session.my_role), LEADS_ONLY)
        return Response({"released": grades_release(session=session, released_by=request.user)})

    @extend_schema(
        parameters=[OpenApiParameter("raw", bool, description="1: cells as written (no leading ' added)")],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="One row per student."),
                   **errors(403, 404)}
    )  # fmt: skip
    @action(detail=True, methods=["get"], filter_backends=[])
    def gradebook(self, request: Request, pk: int) -> HttpResponse:
        """The grades as CSV for a gradebook."""
        session: Session = self.get_object()
        _require(roles.can_review(session.my_role), LEADS_ONLY)
        grades = grades_visible_to(session, request.user, session.my_role)
        raw = raw_requested(request.query_params.get("raw"))
        body = gradebook_csv([c.name for c in rubric_of(session)], grades, raw=raw)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="session-{session.pk}-grades.csv"'
        return response
