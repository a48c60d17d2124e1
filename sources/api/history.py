"""The change history of annotations, evidence, claims and themes, and restoring from it."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import permissions as roles
from ..selectors.history import (
    HISTORY_MODELS,
    history_entries,
    history_record,
    history_records,
    project_id_of,
    tracked_values,
)
from ..selectors.scoping import member_project_ids
from ..selectors.visibility import hidden_state
from ..services.history import history_restore
from .errors import errors


class HistoryEntrySerializer(serializers.Serializer):
    id = serializers.CharField(help_text='"<model>-<n>"; restore with POST /api/history/{id}/restore/.')
    model = serializers.ChoiceField(choices=sorted(HISTORY_MODELS))
    object_id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["created", "changed", "deleted", "restored"])
    user = serializers.IntegerField(allow_null=True)
    username = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField()
    reason = serializers.CharField(help_text="Why, when recorded: a review decision, an adjudication.")
    before = serializers.DictField(allow_null=True)
    after = serializers.DictField(allow_null=True)


class HistoryQuerySerializer(serializers.Serializer):
    model = serializers.ChoiceField(choices=sorted(HISTORY_MODELS))
    id = serializers.IntegerField(min_value=1)


class RestoredSerializer(serializers.Serializer):
    model = serializers.CharField()
    object_id = serializers.IntegerField()
    version = serializers.IntegerField()


def _role_in(request: Request, project_id: int | None) -> str | None:
    if project_id is None:
        return None
    return (
        member_project_ids(request.user).filter(project_id=project_id).values_list("role", flat=True).first()
    )


class HistoryListView(APIView):
    @extend_schema(
        operation_id="history_list",
        parameters=[
            OpenApiParameter("model", str, enum=sorted(HISTORY_MODELS), required=True),
            OpenApiParameter("id", int, required=True, description="the object's id (it may be deleted)"),
        ],
        responses={200: HistoryEntrySerializer(many=True), **errors(400, 404)},
    )
    def get(self, request: Request) -> Response:
        """Every change to one object, newest first: who, when, the action, the state before and after."""
        query = HistoryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        model, object_id = query.validated_data["model"], query.validated_data["id"]
        records = history_records(model, object_id)
        role = _role_in(request, project_id_of(model, records[0])) if records else None
        newest = tracked_values(HISTORY_MODELS[model], records[0]) if records else {}
        if role is None or hidden_state(request.user, role, model, newest):
            raise exceptions.NotFound("No history for this object.")
        return Response(HistoryEntrySerializer(history_entries(model, records), many=True).data)


class HistoryRestoreView(APIView):
    @extend_schema(
        operation_id="history_restore",
        request=None,
        responses={201: RestoredSerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, entry_id: str) -> Response:
        """Bring the object back as it was in this entry, under its old id (owners and instructors;
        annotators their own annotations, evidence links and claims).
        Restoring a deleted claim also restores the evidence deleted with it."""
        model, record = history_record(entry_id)
        role = _role_in(request, project_id_of(model, record))
        if role is None:
            raise exceptions.NotFound("No such history entry.")
        author = getattr(record, "author_id", None)
        if not roles.can_restore(role, request.user, author):
            raise exceptions.PermissionDenied(
                "Only the project's owners and instructors restore others' work from history."
            )
        if hidden_state(request.user, role, model, tracked_values(HISTORY_MODELS[model], record)):
            raise exceptions.NotFound("No such history entry.")
        obj = history_restore(model_name=model, record=record, user=request.user)
        return Response(
            {"model": model, "object_id": obj.pk, "version": obj.version}, status=status.HTTP_201_CREATED
        )
