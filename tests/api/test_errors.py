"""Errors are JSON with a message per field, whatever raised them; never a 500."""

import pytest
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from sources.api.errors import exception_handler
from sources.services.errors import ConflictError, ForbiddenError, StaleVersionError

from .conftest import url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("error", "status", "body"),
    [
        (ValidationError({"end": "Too far."}), 400, {"end": ["Too far."]}),
        (ValidationError("Wrong as a whole."), 400, {"non_field_errors": ["Wrong as a whole."]}),
        (ValidationError({"__all__": "Wrong as a whole."}), 400, {"non_field_errors": ["Wrong as a whole."]}),
        (ConflictError("Already there.", 7), 409, {"detail": "Already there.", "existing_id": 7}),
        (StaleVersionError(3), 412, {"detail": StaleVersionError(3).args[0], "current_version": 3}),
        (ForbiddenError("Not yours."), 403, {"detail": "Not yours."}),
        (RequestDataTooBig(), 413, {"detail": "The request body is over the limit of 5242880 bytes."}),
        (
            IntegrityError(),
            409,
            {
                "detail": "This conflicts with a change saved meanwhile; reload and retry.",
                "existing_id": None,
            },
        ),
    ],
)
def test_each_service_error_maps_to_its_status_and_shape(error, status, body, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 5242880
    response = exception_handler(error, {})
    assert (response.status_code, response.data) == (status, body)


def test_a_json_body_over_the_limit_is_413_json(world, api_as, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"passage": world.passages[0].pk, "theme": world.energy.pk, "note": "x" * 2000}
    response = api_as(world.team.annotator).post(url("annotation-list"), body)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "limit of 1000 bytes" in response.json()["detail"]


def test_a_multipart_field_over_the_limit_is_413_json(team, api_as, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {
        "file": SimpleUploadedFile("a.txt", b"Some text."),
        "project": team.project.pk,
        "citation": "x" * 5000,
    }
    response = api_as(team.owner).post(url("source-list"), body, format="multipart")
    assert response.status_code == 413
    assert response.json()["detail"]


def test_malformed_json_is_400_json(team, api_as):
    response = api_as(team.owner).generic(
        "POST", url("theme-list"), "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_an_unsupported_content_type_is_415_json(team, api_as):
    response = api_as(team.owner).generic("POST", url("theme-list"), "slug=x", content_type="text/plain")
    assert response.status_code == 415
    assert "Unsupported media type" in response.json()["detail"]


def test_a_huge_id_is_a_400_not_a_500(world, api_as):
    body = {"passage": 2**70, "theme": world.energy.pk}
    response = api_as(world.team.annotator).post(url("annotation-list"), body)
    assert response.status_code == 400
    assert "passage" in response.json()
