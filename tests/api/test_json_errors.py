"""Every API URL answers errors as JSON: an id that is not a number, a path that names nothing and a
page size that is not a number get `{"detail": ...}` (or a message per field), never an HTML page."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from .conftest import url

pytestmark = pytest.mark.django_db


def api_routes() -> list[str]:
    """Every route under /api/ from the URL conf, each placeholder filled with a non-number."""
    found: list[str] = []

    def walk(patterns: list, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/") and "<" in route:
                found.append("/" + re.sub(r"<(?:\w+:)?(\w+)>", "abc", route))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


ROUTES = api_routes()


def test_the_routes_walked_include_every_detail_url():
    assert "/api/annotations/abc/" in ROUTES
    assert "/api/sessions/abc/gradebook/" in ROUTES
    assert len(ROUTES) > 20


@pytest.mark.parametrize("path", [*ROUTES, "/api/nothing-here/", "/api/annotations/1.5/"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_url_with_a_non_number_for_an_id_is_json(path, method, team, api_as):
    response = getattr(api_as(team.owner), method)(path)
    assert response.status_code in (400, 404, 405), (path, response.status_code)
    assert response["Content-Type"] == "application/json", (path, response.content[:200])
    assert response.json()  # a message, whatever the status


def test_an_anonymous_client_gets_json_for_an_unknown_api_path(api):
    response = api.get("/api/annotations/abc/")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("value", ["null", "abc", "0", "-1", "1.5", ""])
@pytest.mark.parametrize("name", ["annotation-list", "passage-list", "source-list", "project-list"])
def test_a_page_size_that_is_not_a_whole_number_is_400_naming_it(name, value, team, api_as):
    response = api_as(team.owner).get(url(name), {"page_size": value})
    assert response.status_code == 400, response.content
    assert "page_size" in response.json()


def test_a_page_size_over_the_limit_is_capped_and_a_good_one_is_used(world, api_as):
    client = api_as(world.team.owner)
    assert len(client.get(url("passage-list"), {"page_size": "1"}).json()["results"]) == 1
    assert client.get(url("passage-list"), {"page_size": "100000"}).status_code == 200


def test_the_api_root_lists_the_resources_and_links_the_docs(api):
    body = api.get("/api/").json()
    assert body["docs"].endswith("/api/docs/")
    assert body["resources"]["annotations"].endswith("/api/annotations/")
    assert body["per_project"]["export"] == "/api/projects/{slug}/export/"
