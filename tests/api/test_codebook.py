"""/api/themes/: the codebook, its hierarchy, conflicts and ETags."""

import pytest

from sources.models import Theme

from ..factories import ThemeFactory
from .conftest import url

pytestmark = pytest.mark.django_db


def create(client, world, **fields):
    return client.post(url("theme-list"), {"project": world.team.project.pk, **fields})


def test_an_instructor_adds_a_sub_theme(world, api_as):
    response = create(
        api_as(world.team.instructor), world, slug="hostage", name="Hostages", parent=world.terrorism.pk
    )
    assert response.status_code == 201, response.json()
    assert response.json()["parent"] == world.terrorism.pk
    assert response.json()["color"] == "#4c6ef5"
    assert response["ETag"] == f'"{response.json()["id"]}-1"'


def test_a_duplicate_slug_is_a_conflict_naming_the_existing_theme(world, api_as):
    response = create(api_as(world.team.owner), world, slug="terrorism", name="Again")
    assert response.status_code == 409
    assert response.json()["existing_id"] == world.terrorism.pk


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"slug": "not a slug", "name": "X"}, "slug"),
        ({"slug": "x", "name": "X", "color": "red"}, "color"),
        ({"slug": "x", "name": "X", "shortcut": "ab"}, "shortcut"),
        ({"slug": "x"}, "name"),
    ],
)
def test_a_malformed_theme_is_refused_with_a_message_on_the_field(world, api_as, fields, field):
    response = create(api_as(world.team.owner), world, **fields)
    assert response.status_code == 400
    assert field in response.json()


def test_a_parent_from_another_project_is_refused(world, api_as):
    world.team.other_project.memberships.create(user=world.team.owner, role="owner")
    foreign = ThemeFactory(project=world.team.other_project)
    response = create(api_as(world.team.owner), world, slug="x", name="X", parent=foreign.pk)
    assert response.status_code == 400
    assert "another project" in response.json()["parent"][0]


def test_a_theme_cannot_become_its_own_ancestor(world, api_as):
    child = ThemeFactory(project=world.team.project, parent=world.terrorism)
    response = api_as(world.team.owner).patch(
        url("theme-detail", pk=world.terrorism.pk), {"parent": child.pk}
    )
    assert response.status_code == 400
    assert "ancestor" in response.json()["parent"][0]


def test_a_stale_if_match_on_a_theme_is_412_and_changes_nothing(world, api_as):
    client = api_as(world.team.instructor)
    etag = client.get(url("theme-detail", pk=world.terrorism.pk))["ETag"]
    assert (
        client.patch(
            url("theme-detail", pk=world.terrorism.pk), {"name": "T1"}, HTTP_IF_MATCH=etag
        ).status_code
        == 200
    )
    stale = client.patch(url("theme-detail", pk=world.terrorism.pk), {"name": "T2"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert Theme.objects.get(pk=world.terrorism.pk).name == "T1"


def test_a_theme_in_use_cannot_be_deleted(world, api_as):
    response = api_as(world.team.owner).delete(url("theme-detail", pk=world.terrorism.pk))
    assert response.status_code == 409
    assert "used by 1 tag" in response.json()["detail"]


def test_themes_list_in_codebook_order_filtered_by_project(world, api_as):
    ThemeFactory(project=world.team.other_project, slug="theirs")
    world.team.other_project.memberships.create(user=world.team.observer, role="observer")
    client = api_as(world.team.observer)
    response = client.get(url("theme-list"), {"project": "class"}).json()
    assert [row["slug"] for row in response["results"]] == ["energy", "terrorism", "unused"]
    assert response["count"] == 3
    assert client.get(url("theme-list")).json()["count"] == 4
