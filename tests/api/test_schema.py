"""The OpenAPI 3 schema at /api/schema/ and the interactive docs at /api/docs/."""

import re

import pytest
from django.core.management import call_command

from .conftest import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api):
    response = api.get(url("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_validates_without_a_single_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_the_schema_describes_every_resource_of_the_api_table(schema):
    assert schema["openapi"].startswith("3.")
    for path in [
        "/api/auth/token/",
        "/api/auth/logout/",
        "/api/auth/logoutall/",
        "/api/projects/",
        "/api/projects/{slug}/",
        "/api/projects/{project_slug}/members/",
        "/api/projects/{project_slug}/members/{user}/",
        "/api/sources/",
        "/api/passages/",
        "/api/themes/{id}/",
        "/api/annotations/{id}/",
        "/api/claims/",
        "/api/evidence/{id}/",
        "/api/reviews/",
        "/api/sessions/{id}/progress/",
    ]:
        assert path in schema["paths"], path


def test_the_schema_lists_every_passage_filter(schema):
    names = {p["name"] for p in schema["paths"]["/api/passages/"]["get"]["parameters"]}
    assert names >= {"project", "source", "theme", "author", "status", "session", "q", "cursor", "page_size"}


def test_the_schema_documents_the_error_shapes(schema):
    create = schema["paths"]["/api/annotations/"]["post"]["responses"]
    assert {"201", "400", "401", "403", "409"} <= set(create)
    assert create["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/Conflict")
    patch = schema["paths"]["/api/annotations/{id}/"]["patch"]
    assert {"200", "400", "403", "404", "412"} <= set(patch["responses"])
    assert "If-Match" in {p["name"] for p in patch["parameters"]}
    upload = schema["paths"]["/api/sources/"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert "413" in upload["responses"]


def test_the_docs_page_loads_its_assets_from_static_only(client):
    response = client.get(url("docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert asset.startswith("/static/") or asset.startswith("/api/docs/?"), asset
    assert "<script>" not in html  # the start-up script comes from a URL, as the CSP wants
    assert "<style" not in html  # and so does the page frame's style

    script = client.get(url("docs") + "?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
