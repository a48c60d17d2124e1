"""Importing annotations from the export page: a file from another tool (or ours) in, the import's
report back on the page — what came in, and what was skipped, by kind, with examples."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .. import permissions as roles
from ..formats.records import FormatError
from ..selectors.projects import project_for_user
from ..services.imports import FORMATS, ImportRefused, annotations_import


@login_required
@require_POST
def annotations_upload(request: HttpRequest, slug: str) -> HttpResponse:
    project, role = project_for_user(request.user, slug)
    if not roles.can_manage(role):
        return HttpResponseForbidden("Only the project's owners and instructors import into it.")
    file, fmt = request.FILES.get("file"), request.POST.get("format", "")
    if file is None or fmt not in FORMATS:
        messages.error(request, f"Choose a file and its format ({', '.join(FORMATS)}).")
    elif file.size > settings.MAX_UPLOAD_BYTES:
        messages.error(request, f"The file has {file.size} bytes; the limit is {settings.MAX_UPLOAD_BYTES}.")
    else:
        try:
            report = annotations_import(
                project=project,
                file=file,
                format=fmt,
                as_user=request.user,
                create_themes=request.POST.get("create_themes") == "on",
                members_only=True,
                add_members=request.POST.get("add_members") == "on",
            )
        except (FormatError, ImportRefused) as error:
            messages.error(request, f"Nothing was imported: {error}")
        else:
            messages.success(request, f"Imported from '{file.name}': {report.summary()}")
    return redirect("export", slug=project.slug)
