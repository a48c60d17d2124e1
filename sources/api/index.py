"""`/api/`: where to start. The resources the router serves, the other entry points, and the docs."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

# Routes whose URL needs a project; the index shows them as templates rather than links.
PROJECT_ROUTES = {
    "members": "api:member-list",
    "export": "api:project-export",
    "import": "api:project-import",
    "agreement": "api:project-agreement",
}


class ApiIndexView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="api_index", responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        from .urls import router  # the router imports the views, this one among them

        resources = {
            prefix: request.build_absolute_uri(reverse(f"api:{basename}-list"))
            for prefix, _, basename in router.registry
            if "<" not in prefix
        }
        per_project = {
            name: reverse(route, kwargs={"project_slug" if name == "members" else "slug": "SLUG"}).replace(
                "SLUG", "{slug}"
            )
            for name, route in PROJECT_ROUTES.items()
        }
        return Response(
            {
                "docs": request.build_absolute_uri(reverse("api:docs")),
                "schema": request.build_absolute_uri(reverse("api:schema")),
                "token": request.build_absolute_uri(reverse("api:token")),
                "history": request.build_absolute_uri(reverse("api:history")),
                "resources": resources,
                "per_project": per_project,
            }
        )
