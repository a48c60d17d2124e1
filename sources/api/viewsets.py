"""What the capability viewsets share: scoped lookups by id, validated input, ETags."""

from typing import Any

from django.db.models import Model
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from .permissions import RoleChecked
from .versioning import etag


class ScopedViewSet(RoleChecked, viewsets.GenericViewSet):
    """`get_queryset()` comes from a selector taking the caller, so a lookup outside the caller's
    projects is a 404; updates are PATCH only (no PUT), as the API table has it."""

    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    output_serializer_class: type[serializers.Serializer]

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return self.output_serializer_class

    def validated(self, serializer_class: type[serializers.Serializer], *, partial: bool = False) -> dict:
        serializer = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def fetched(self, obj: Model) -> Model:
        """The object again through the scoped queryset, with the annotations the output shows."""
        return self.get_queryset().get(pk=obj.pk)

    def respond(self, obj: Model, status_code: int = status.HTTP_200_OK, **headers: Any) -> Response:
        return Response(self.get_serializer(obj).data, status=status_code, headers=headers or None)


class Versioned:
    """For objects with a `version`: GET, create and PATCH answer the object's ETag."""

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()  # type: ignore[attr-defined]
        return self.respond(instance, ETag=etag(instance))  # type: ignore[attr-defined]
