"""Property-based fuzzing of the whole API from its own OpenAPI schema (schemathesis).

Every operation gets generated requests, valid and invalid, as the project's owner. Random ids
would almost always miss, so every other request has its ids pointed at the seeded project's real
objects, which takes the generated bodies through the serializers and services for real. No
response may be a server error, and every documented response must match its schema."""

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from sco_annot.wsgi import application
from sources.services.tokens import token_issue

from .conftest import World

# Loaded in-process through WSGI: the schema view needs no database, so this works at collection.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

OBJECT_OF_PATH = {
    "/api/annotations/": "annotation",
    "/api/claims/": "claim",
    "/api/evidence/": "evidence",
    "/api/themes/": "unused_theme",
    "/api/sessions/": "session",
    "/api/sources/": "source",
    "/api/reviews/": "review",
    "/api/discussions/": "discussion",
}


def real_ids(world: World) -> dict[str, Any]:
    """Body fields that hold an id, each with a real one from the seeded project."""
    team = world.team
    return {
        "project": team.project.pk,
        "passage": world.passages[2].pk,
        "theme": world.terrorism.pk,
        "parent": world.energy.pk,
        "claim": world.claim.pk,
        "annotation": world.annotation.pk,
        "evidence": world.evidence.pk,
        "session": world.session.pk,
        "source": world.source.pk,
        "sources": [world.source.pk],
        "participants": [team.annotator.pk],
        "user": team.annotator2.pk,
        "author": team.instructor.pk,
        "annotations": [world.annotation.pk],
        "approve": [world.annotation.pk],
        "reject": [world.own_annotation.pk],
    }


def point_at_real_objects(case: Any, world: World) -> None:
    path = case.operation.path
    params = case.path_parameters or {}
    for name in ("slug", "project_slug"):
        if name in params:
            params[name] = world.team.project.slug
    if "user" in params:
        params["user"] = world.team.annotator2.pk
    if "user_id" in params:
        params["user_id"] = world.team.annotator.pk
    if "id" in params:
        if path.startswith("/api/passages/"):
            params["id"] = world.passages[0].pk
        else:
            # Paths without a seeded object (invitations, deletion jobs) keep their generated ids.
            attribute = next(
                (name for prefix, name in OBJECT_OF_PATH.items() if path.startswith(prefix)), None
            )
            if attribute is not None:
                params["id"] = getattr(world, attribute).pk
    if isinstance(case.body, dict):
        ids = real_ids(world)
        for name, value in case.body.items():
            if name in ids and isinstance(value, int | list) and not isinstance(value, bool):
                case.body[name] = ids[name]


@pytest.fixture
def connection_kept_open():
    """Each request through the WSGI app would close the database connection when it finishes, the
    test's open transaction with it; Django's test client unhooks the same handler for its requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(world) -> str:
    return token_issue(user=world.team.owner)[0]


@schema.parametrize()
@settings(
    max_examples=15,
    database=None,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_request_makes_a_server_error_or_breaks_the_schema(case, token, world, connection_kept_open):
    if hash(repr((case.path_parameters, case.query, case.body))) % 2:
        point_at_real_objects(case, world)
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
