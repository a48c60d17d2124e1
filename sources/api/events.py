"""`GET /api/projects/{slug}/events/`: a project's events as Server-Sent Events, for scripts and the
live pages (docs/collaboration.md, "Live updates")."""

from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import StreamingHttpResponse
from django.http.response import HttpResponseBase
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..live.stream import Listener, polled, pushed
from ..selectors.events import last_event_id
from ..selectors.projects import project_for_user
from .errors import errors


class EventStreamRenderer(BaseRenderer):
    """Accepts `Accept: text/event-stream`."""

    media_type = "text/event-stream"
    format = "sse"
    charset = "utf-8"

    def render(self, data: object, accepted_media_type: str | None = None, renderer_context=None) -> bytes:
        return JSONRenderer().render(data)


def resume_from(request: Request) -> int | None:
    """The id to resume after: `Last-Event-ID` (as EventSource sends it on reconnecting) or
    `?last_event_id=`; None when neither is given."""
    raw = request.headers.get("Last-Event-ID") or request.query_params.get("last_event_id")
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise exceptions.ValidationError({"last_event_id": ["Must be a whole number of at most 18 digits."]})
    return int(raw)


class EventStreamView(APIView):
    renderer_classes = [EventStreamRenderer, JSONRenderer]

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args, **kwargs
    ) -> HttpResponseBase:
        """An error is JSON whatever the client asked for, as everywhere in the API."""
        if isinstance(response, Response) and response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        operation_id="project_events",
        parameters=[
            OpenApiParameter(
                "Last-Event-ID",
                int,
                location=OpenApiParameter.HEADER,
                description="Resume after this event id (EventSource sends it when reconnecting).",
            ),
            OpenApiParameter("last_event_id", int, description="The same, for clients that set no headers."),
        ],
        responses={
            (200, "text/event-stream"): OpenApiResponse(
                {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "event": {"type": "string"},
                        "data": {"type": "string"},
                        "retry": {"type": "integer"},
                    },
                },
                description=(
                    "Server-Sent Events: `id` the event id, `data` JSON with `id`, `kind` "
                    "(`annotation.created`, `annotation.updated`, `annotation.deleted`, `review.created`, "
                    "`comment.created`, `comment.updated`, `comment.deleted`, `comment.resolved`, "
                    "`comment.reopened`, `presence`, `notification.created`), "
                    "`object` (the object's id), `actor`, `created` and, for work on a "
                    "passage, `passage`, `source` and `ordinal`. Only the events the caller may see: "
                    "none of a colleague's unsubmitted work in a blind session."
                ),
            ),
            **errors(400, 404),
        },
    )
    def get(self, request: Request, slug: str) -> StreamingHttpResponse:
        """A project's events from now on, or from after `Last-Event-ID`. One response lasts a few
        minutes; reconnect with the last id received to go on without losing an event."""
        project, role = project_for_user(request.user, slug)
        after = resume_from(request)
        listener = Listener(
            user=request.user,
            role=role,
            project_id=project.pk,
            after=last_event_id() if after is None else after,
        )
        if isinstance(request._request, ASGIRequest):
            stream = pushed(listener)
            if not connection.in_atomic_block:
                connection.close()  # the stream reads on the hub's threads; this one's connection rests
        else:
            stream = polled(listener)
        response = StreamingHttpResponse(stream, content_type="text/event-stream")
        response["Cache-Control"] = "no-cache"
        response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
        return response
