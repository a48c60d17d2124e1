"""The floor of the API benchmark (bench/api.py): bare Django views answering the same rows as the API's
lists, and writing a tag with its history row, with no authentication, permission, validation or
serializer; then the app's own URLs."""

import json

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from sco_annot.urls import urlpatterns as app_urls
from sources.models import Annotation, Passage

# The columns the API's serializers answer.
ANNOTATION_FIELDS = (
    *("id", "passage", "theme", "theme__slug", "author", "start", "end", "quote", "note", "status"),
    *("session", "version", "created", "updated", "suggestion", "suggested_by"),
)
PASSAGE_FIELDS = ("id", "source", "ordinal", "kind", "section", "text", "language", "start", "end")


def annotations(request: HttpRequest) -> JsonResponse:
    rows = Annotation.objects.filter(passage__source__project_id=request.GET["project"]).order_by("pk")
    size = int(request.GET.get("page_size", 100))
    return JsonResponse({"results": list(rows.values(*ANNOTATION_FIELDS)[:size])})


def passages(request: HttpRequest) -> JsonResponse:
    rows = Passage.objects.filter(source_id=request.GET["source"]).order_by("pk")
    size = int(request.GET.get("page_size", 100))
    return JsonResponse({"results": list(rows.values(*PASSAGE_FIELDS)[:size])})


@csrf_exempt
def tag(request: HttpRequest) -> JsonResponse:
    data = json.loads(request.body)
    text = Passage.objects.values_list("text", flat=True).get(pk=data["passage"])
    start, end = data["start"], data["end"]
    annotation = Annotation.objects.create(
        passage_id=data["passage"],
        theme_id=data["theme"],
        author_id=int(request.GET["author"]),
        start=start,
        end=end,
        quote=text[start:end],
    )  # django-simple-history writes its history row, as for the API's tag
    return JsonResponse({"id": annotation.pk}, status=201)


urlpatterns = [
    path("floor/annotations/", annotations),
    path("floor/passages/", passages),
    path("floor/tag/", tag),
    *app_urls,
]
