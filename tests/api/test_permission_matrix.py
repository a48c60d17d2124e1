"""Every API endpoint, role and action, and the status each gets (docs/api.md, "Who may do what").

A non-member gets 404 for anything of a project, never 403; an id of another team's object in a
body reads like an unknown id (400 naming the field). An API URL, or a method of one, without a row
here fails `test_every_api_endpoint_has_a_row`: add the endpoint's rows to ROWS."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from sources.models import (
    Annotation,
    Invitation,
    Notification,
    ProjectDeletion,
    SourceUpload,
    Suggestion,
    ThemeAnchor,
)
from sources.services.comments import comment_create
from sources.services.tokens import token_issue

from ..factories import PASSWORD, SourceFactory
from .conftest import World, url

ROLES = ("owner", "instructor", "annotator", "observer", "outsider", "anonymous")

#            owner instructor annotator observer outsider anonymous
PUBLIC = (200, 200, 200, 200, 200, 200)
LIST = (200, 200, 200, 200, 200, 401)  # scoped: an outsider gets an empty list
READ = (200, 200, 200, 200, 404, 401)
OWNER_ONLY = (403, 403, 403, 404, 401)  # after the owner's own status
LEADS_ONLY = (403, 403, 404, 401)  # after owner's and instructor's
WRITERS_CREATE = (201, 201, 201, 403, 400, 401)
LEADS_CREATE = (201, 201, 403, 403, 400, 401)


@dataclass(frozen=True)
class Row:
    name: str  # URL name in the `api` namespace
    method: str
    statuses: tuple[int, ...]  # in ROLES order
    kwargs: Callable[[World], dict] = lambda w: {}
    body: dict | Callable[[World, Any], Any] | None = None  # a callable when it needs the world's ids
    label: str = ""
    format: str = "json"
    sign_in: str = "session"  # how a member signs in: "session", "token" (a real API token) or "none"

    def id(self, role: str) -> str:
        return "-".join(part for part in (self.name, self.method, self.label, role) if part)

    def data(self, world: World, user: Any) -> Any:
        return self.body(world, user) if callable(self.body) else self.body


def at(attr: str) -> Callable[[World], dict]:
    """URL kwargs for the object `world.<attr>`."""
    return lambda w: {"pk": attrgetter(attr)(w).pk}


def first_passage(w: World) -> dict:
    return {"pk": w.passages[0].pk}


def project(w: World) -> dict:
    return {"slug": w.team.project.slug}


def presence(w: World) -> dict:
    """Who reads the world's source: every member may ask, and say where they read."""
    return {"slug": w.team.project.slug, "source": w.source.pk}


def in_project(w: World) -> dict:
    return {"project_slug": w.team.project.slug}


def member(w: World) -> dict:
    return {"project_slug": w.team.project.slug, "user": w.team.annotator2.pk}


def owners_deletion(w: World) -> dict:
    deletion = ProjectDeletion.objects.create(
        project_slug="gone", project_name="Gone", requested_by=w.team.owner
    )
    return {"pk": deletion.pk}


def join_link(w: World) -> dict:
    invitation = Invitation.objects.create(project=w.team.project, kind="link", role="annotator")
    return {"slug": w.team.project.slug, "pk": invitation.pk}


def roster_upload(w: World, user: Any) -> dict:
    roster = b"name,email,role\nAda Lovelace,ada@example.org,annotator\n"
    return {"file": SimpleUploadedFile("roster.csv", roster, content_type="text/csv")}


def credentials(w: World, user: Any) -> dict:
    return {"username": user.username if user else "nobody", "password": PASSWORD}


def upload(w: World, user: Any) -> dict:
    file = SimpleUploadedFile("new.txt", b"A brand new paragraph about the SCO.\n", content_type="text/plain")
    return {"file": file, "project": w.team.project.pk, "title": "New"}


def new_theme(w: World, user: Any) -> dict:
    return {"project": w.team.project.pk, "slug": "new-theme", "name": "New theme"}


def new_annotation(w: World, user: Any) -> dict:
    return {"passage": w.passages[2].pk, "theme": w.terrorism.pk, "start": 0, "end": 10}


def new_claim(w: World, user: Any) -> dict:
    return {"project": w.team.project.pk, "text": "The SCO grows slowly."}


def new_evidence(w: World, user: Any) -> dict:
    return {"claim": w.claim.pk, "passage": w.passages[3].pk, "relation": "qualifies"}


def new_review(w: World, user: Any) -> dict:
    return {"annotation": w.own_annotation.pk, "decision": "approve"}


def new_session(w: World, user: Any) -> dict:
    return {
        "project": w.team.project.pk,
        "name": "Week 2",
        "opens_at": "2030-01-01T09:00:00Z",
        "closes_at": "2030-01-08T09:00:00Z",
        "sources": [w.source.pk],
        "participants": [w.team.annotator.pk],
    }


def doccano_upload(w: World, user: Any) -> dict:
    line = json.dumps({"text": w.passages[1].text, "label": [[0, 5, "terrorism"]]}) + "\n"
    file = SimpleUploadedFile("tags.jsonl", line.encode(), content_type="application/jsonl")
    return {"file": file, "format": "doccano"}


LEADS_DO = (200, 200, 403, 403, 404, 401)  # an action for owners and instructors only


def session_member(w: World) -> dict:
    return {"pk": w.session.pk, "user_id": w.team.annotator.pk}


def created_entry(w: World, annotation: Annotation | None = None) -> dict:
    annotation = annotation or w.annotation
    record = Annotation.history.filter(id=annotation.pk).order_by("history_id").first()
    return {"entry_id": f"annotation-{record.history_id}"}


def own_created_entry(w: World) -> dict:
    """The annotator's own annotation: its author may restore it, as leads may anyone's."""
    return created_entry(w, w.own_annotation)


def new_discussion(w: World, user: Any) -> dict:
    return {"passage": w.passages[1].pk, "theme": w.energy.pk, "text": "Energy or expansion here?"}


def decision(w: World, user: Any) -> dict:
    return {"decision": "accepted", "reason": "Fits the codebook.", "approve": [w.annotation.pk]}


def bulk_review(w: World, user: Any) -> dict:
    return {"annotations": [w.own_annotation.pk, w.annotation.pk], "decision": "approve"}


def agreement_query(w: World, user: Any) -> dict:
    return {"session": w.session.pk}


def history_query(w: World, user: Any) -> dict:
    return {"model": "annotation", "id": w.annotation.pk}


def spare_source(w: World) -> dict:
    return {"pk": SourceFactory(project=w.team.project, paragraphs=["A spare paragraph."]).pk}


def anchor(w: World) -> dict:
    found = ThemeAnchor.objects.create(theme=w.terrorism, passage=w.passages[0])
    return {"pk": w.terrorism.pk, "anchor_id": found.pk}


def source_job(w: World) -> dict:
    job = SourceUpload.objects.create(
        project=w.team.project, uploaded_by=w.team.owner, filename="big.pdf", status="queued"
    )
    return {"pk": job.pk}


def codebook_upload(w: World, user: Any) -> dict:
    body = {"format": "sco-annot-codebook", "version": 1, "themes": [{"slug": "fresh", "name": "Fresh"}]}
    file = SimpleUploadedFile("codebook.json", json.dumps(body).encode(), content_type="application/json")
    return {"file": file, "format": "json"}


def two_sources(w: World, user: Any) -> dict:
    return {"a": w.source.pk, "b": spare_source(w)["pk"]}


def suggestion(w: World) -> dict:
    """An imported prediction: offered to every member without an evaluation."""
    found = Suggestion.objects.create(
        project=w.team.project, passage=w.passages[3], theme=w.energy, score=0.9, recommender="imported"
    )
    return {"pk": found.pk}


def new_comment(w: World, user: Any) -> dict:
    return {"passage": w.passages[0].pk, "start": 0, "end": 5, "text": "Why here, @annotator2?"}


def annotators_comment(w: World) -> dict:
    """A comment by the annotator (its author may change it; leads delete and resolve any)."""
    comment = comment_create(passage=w.passages[0], author=w.team.annotator, text="A first remark.")
    return {"pk": comment.pk}


def annotators_notification(w: World) -> dict:
    """A notification of the annotator's own: nobody else's to read."""
    comment = comment_create(passage=w.passages[0], author=w.team.annotator2, text="@annotator see this")
    return {"pk": Notification.objects.get(recipient=w.team.annotator, object_id=comment.pk).pk}


LEADS_CHANGE = (200, 200, 403, 403, 404, 401)
LEADS_CREATED = (201, 201, 403, 403, 404, 401)  # something new under an object of the project
LEADS_DELETE = (204, 204, 403, 403, 404, 401)
OWN = (200, 200, 200, 403, 404, 401)  # changing one's own work
OWN_DELETE = (204, 204, 204, 403, 404, 401)

# fmt: off
ROWS = [
    Row("token", "post", (200, 200, 200, 200, 200, 400), body=credentials, sign_in="none"),
    Row("logout", "post", (204, 204, 204, 204, 204, 401), sign_in="token"),
    Row("logoutall", "post", (204, 204, 204, 204, 204, 401)),
    Row("logoutall", "post", (204, 204, 204, 204, 204, 401), label="token", sign_in="token"),
    Row("index", "get", PUBLIC),
    Row("schema", "get", PUBLIC),
    Row("docs", "get", PUBLIC),
    Row("project-list", "get", LIST),
    Row("project-list", "post", (201, 201, 201, 201, 201, 401), body={"slug": "fresh", "name": "New"}),
    Row("project-detail", "get", READ, project),
    Row("project-detail", "patch", (200, *OWNER_ONLY), project, {"name": "Renamed"}),
    Row("project-detail", "delete", (202, *OWNER_ONLY), project),
    Row("project-deletion", "get", (200, 404, 404, 404, 404, 401), owners_deletion),
    Row("member-list", "get", READ, in_project),
    Row("member-list", "post", (201, *OWNER_ONLY), in_project, {"username": "newcomer", "role": "annotator"}),
    Row("member-detail", "patch", (200, *OWNER_ONLY), member, {"role": "observer"}),
    Row("member-detail", "delete", (204, *OWNER_ONLY), member),
    Row("project-invitations", "get", (200, *OWNER_ONLY), project),
    Row("project-invitations", "post", (201, *OWNER_ONLY), project, {"kind": "link", "role": "annotator"}),
    Row("project-invitation", "delete", (204, *OWNER_ONLY), join_link),
    Row("project-roster", "post", (201, *OWNER_ONLY), project, roster_upload, format="multipart"),
    Row("source-list", "get", LIST),
    Row("source-list", "post", LEADS_CREATE, body=upload, format="multipart"),
    Row("source-detail", "get", READ, at("source")),
    Row("source-detail", "patch", LEADS_CHANGE, at("source"), {"title": "Renamed", "year": 2016}),
    Row("source-detail", "delete", LEADS_DELETE, spare_source),
    Row("source-job", "get", (200, 200, 404, 404, 404, 401), source_job),
    Row("passage-list", "get", LIST),
    Row("passage-detail", "get", READ, first_passage),
    Row("theme-list", "get", LIST),
    Row("theme-list", "post", LEADS_CREATE, body=new_theme),
    Row("theme-detail", "get", READ, at("terrorism")),
    Row("theme-detail", "patch", (200, 200, *LEADS_ONLY), at("terrorism"), {"name": "Terror"}),
    Row("theme-detail", "delete", (204, 204, *LEADS_ONLY), at("unused_theme")),
    Row("theme-anchors", "post", LEADS_CREATED, at("terrorism"), lambda w, u: {"passage": w.passages[0].pk}),
    Row("theme-anchor", "delete", LEADS_DELETE, anchor),
    Row("theme-merge", "post", LEADS_CHANGE, at("unused_theme"), lambda w, u: {"into": w.energy.pk}),
    Row("project-codebook", "get", READ, project, {"format": "json"}),
    Row("project-codebook", "post", LEADS_CREATED, project, codebook_upload, format="multipart"),
    Row("annotation-list", "get", LIST),
    Row("annotation-list", "post", WRITERS_CREATE, body=new_annotation),
    Row("annotation-detail", "get", READ, at("annotation")),
    Row("annotation-detail", "patch", (200, 200, *LEADS_ONLY), at("annotation"), {"note": "Ok."}, "others"),
    Row("annotation-detail", "patch", OWN, at("own_annotation"), {"note": "Ok."}, "own"),
    Row("annotation-detail", "delete", (204, 204, *LEADS_ONLY), at("annotation"), label="others"),
    Row("annotation-detail", "delete", OWN_DELETE, at("own_annotation"), label="own"),
    Row("claim-list", "get", LIST),
    Row("claim-list", "post", WRITERS_CREATE, body=new_claim),
    Row("claim-detail", "get", READ, at("claim")),
    Row("claim-detail", "patch", (200, 200, *LEADS_ONLY), at("claim"), {"text": "Security first."}, "others"),
    Row("claim-detail", "patch", OWN, at("own_claim"), {"text": "Energy first."}, "own"),
    Row("claim-detail", "delete", (204, 204, *LEADS_ONLY), at("claim"), label="others"),
    Row("claim-detail", "delete", OWN_DELETE, at("own_claim"), label="own"),
    Row("evidence-list", "get", LIST),
    Row("evidence-list", "post", WRITERS_CREATE, body=new_evidence),
    Row("evidence-detail", "get", READ, at("evidence")),
    Row("evidence-detail", "patch", (200, 200, *LEADS_ONLY), at("evidence"), {"note": "Partly."}, "others"),
    Row("evidence-detail", "patch", OWN, at("own_evidence"), {"note": "Only partly."}, "own"),
    Row("evidence-detail", "delete", (204, 204, *LEADS_ONLY), at("evidence"), label="others"),
    Row("evidence-detail", "delete", OWN_DELETE, at("own_evidence"), label="own"),
    Row("review-list", "get", LIST),
    Row("review-list", "post", LEADS_CREATE, body=new_review),
    Row("review-detail", "get", READ, at("review")),
    Row("session-list", "get", LIST),
    Row("session-list", "post", LEADS_CREATE, body=new_session),
    Row("session-detail", "get", READ, at("session")),
    Row("session-detail", "patch", (200, 200, *LEADS_ONLY), at("session"), {"name": "Week 1, extended"}),
    Row("session-progress", "get", READ, at("session")),
    Row("session-submit", "post", (400, 400, 200, 403, 404, 401), at("session")),
    Row("session-answer-key", "put", LEADS_DO, at("session"), lambda w, u: {"author": w.team.instructor.pk}),
    Row("session-scores", "get", (200, 200, 403, 403, 404, 401), at("session")),
    Row("session-rubric", "get", READ, at("session")),
    Row("session-rubric", "put", LEADS_DO, at("session"), {"criteria": [{"name": "Reach", "max_points": 5}]}),
    Row("session-grades", "get", READ, at("session")),
    Row("session-grade", "put", LEADS_DO, session_member, {"scores": {}, "feedback": "Careful work."}),
    Row("session-grades-release", "post", LEADS_DO, at("session")),
    Row("session-gradebook", "get", LEADS_DO, at("session")),
    Row("discussion-list", "get", LIST),
    Row("discussion-list", "post", WRITERS_CREATE, body=new_discussion),
    Row("discussion-detail", "get", READ, at("discussion")),
    Row("discussion-comments", "post", (201, 201, 201, 403, 404, 401), at("discussion"), {"text": "Both."}),
    Row("discussion-decide", "post", LEADS_DO, at("discussion"), decision),
    Row("review-bulk", "post", LEADS_CREATE, body=bulk_review),
    Row("project-agreement", "get", LEADS_DO, project, agreement_query),
    Row("history", "get", READ, body=history_query),
    Row("history-restore", "post", (201, 201, 403, 403, 404, 401), created_entry, label="others"),
    Row("history-restore", "post", (201, 201, 201, 403, 404, 401), own_created_entry, label="own"),
    Row("project-export", "get", READ, project, {"format": "csv"}),
    Row("project-import", "post", (201, 201, *LEADS_ONLY), project, doccano_upload, format="multipart"),
    Row("project-analysis-matrix", "get", READ, project),
    Row("project-analysis-cooccurrence", "get", READ, project),
    Row("project-analysis-claims", "get", READ, project),
    Row("project-analysis-compare", "get", READ, project, two_sources),
    Row("project-analysis-timeline", "get", READ, project),
    Row("suggestion-list", "get", LIST),
    Row("suggestion-accept", "post", (201, 201, 201, 403, 404, 401), suggestion),
    Row("suggestion-reject", "post", (204, 204, 204, 403, 404, 401), suggestion),
    Row("project-recommenders", "get", READ, project),
    # live: events, comments, notifications
    Row("project-events", "get", READ, project, {"last_event_id": 0}),
    Row("project-presence", "get", READ, presence),
    Row("project-presence", "post", READ, presence, {"passage": None}),
    Row("project-presence", "delete", (204, 204, 204, 204, 404, 401), presence),
    Row("comment-list", "get", LIST),
    Row("comment-list", "post", WRITERS_CREATE, body=new_comment),
    Row("comment-detail", "get", READ, annotators_comment),
    Row("comment-detail", "patch", (403, 403, 200, 403, 404, 401), annotators_comment, {"text": "Edited."}),
    Row("comment-detail", "delete", (204, 204, 204, 403, 404, 401), annotators_comment),
    Row("comment-resolve", "post", (200, 200, 200, 403, 404, 401), annotators_comment),
    Row("comment-reopen", "post", (200, 200, 200, 403, 404, 401), annotators_comment),
    Row("notification-list", "get", LIST),
    Row("notification-read", "post", (404, 404, 200, 404, 404, 401), annotators_notification),
]
# fmt: on

CASES = [pytest.param(row, role, id=row.id(role)) for row in ROWS for role in ROLES]


@pytest.mark.parametrize(("row", "role"), CASES)
def test_role_gets_the_status_the_roles_table_says(row: Row, role: str, world: World, newcomer) -> None:
    client = APIClient()
    user = None if role == "anonymous" else world.team.user(role)
    if user is not None and row.sign_in == "session":
        client.force_authenticate(user)
    elif user is not None and row.sign_in == "token":
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)[0]}")
    call = getattr(client, row.method)
    response = call(url(row.name, **row.kwargs(world)), row.data(world, user), format=row.format)
    assert response.status_code == dict(zip(ROLES, row.statuses, strict=True))[role], response.content[:500]


def api_endpoints() -> set[tuple[str, str]]:
    """(URL name, method) of every URL under /api/, from the resolver itself."""
    found: set[tuple[str, str]] = set()

    def walk(patterns: list, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/"):
                found.update((pattern.name, method) for method in methods_of(pattern.callback))

    walk(get_resolver().url_patterns, "")
    return found


def methods_of(view: Any) -> set[str]:
    if getattr(view, "actions", None):  # a viewset route: {"get": "list", "post": "create"}
        return set(view.actions) - {"head", "options"}
    view_class = view.view_class
    return {method for method in view_class.http_method_names if hasattr(view_class, method)} - {
        "head",
        "options",
    }


def test_every_api_endpoint_has_a_row() -> None:
    missing = api_endpoints() - {(row.name, row.method) for row in ROWS}
    assert not missing, f"Add rows to ROWS for {sorted(missing)}"


def test_every_row_is_an_api_endpoint() -> None:
    stale = {(row.name, row.method) for row in ROWS} - api_endpoints()
    assert not stale, f"Rows for endpoints that do not exist: {sorted(stale)}"
