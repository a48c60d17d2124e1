"""/api/projects/ and /api/projects/{slug}/members/: creating projects, managing who is in them."""

import pytest

from sources.models import Annotation, Membership, Project

from .conftest import url

pytestmark = pytest.mark.django_db


def test_anyone_signed_in_creates_a_project_and_becomes_its_owner(team, api_as):
    response = api_as(team.outsider).post(
        url("project-list"), {"slug": "reading-group", "name": "Reading group"}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["my_role"] == "owner"
    assert Membership.objects.get(project__slug="reading-group").user == team.outsider


def test_a_taken_slug_is_a_conflict(team, api_as):
    response = api_as(team.outsider).post(url("project-list"), {"slug": "class", "name": "Mine"})
    assert response.status_code == 409
    assert "already exists" in response.json()["detail"]


def test_projects_list_the_callers_role_and_counts_every_member(world, api_as):
    rows = api_as(world.team.annotator).get(url("project-list")).json()["results"]
    assert rows == [
        {
            "id": world.team.project.pk,
            "slug": "class",
            "name": "Class project",
            "description": "",
            "licence": "",
            "time_zone": "UTC",
            "archived": False,
            "created": rows[0]["created"],
            "my_role": "annotator",
            "member_count": 5,
            "source_count": 1,
        }
    ]


def test_the_owner_renames_the_project_but_not_its_slug(team, api_as):
    response = api_as(team.owner).patch(
        url("project-detail", slug="class"), {"name": "Spring class", "slug": "x"}
    )
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["slug"]) == ("Spring class", "class")


def test_deleting_a_project_removes_its_annotations_too(world, api_as, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    response = api_as(world.team.owner).delete(url("project-detail", slug="class"))
    assert response.status_code == 202
    assert response["Location"] == response.json()["job"]
    assert not Project.objects.filter(slug="class").exists()
    assert not Annotation.objects.exists()


def test_the_owner_adds_a_member_by_username_or_id_and_changes_their_role(team, newcomer, api_as):
    client = api_as(team.owner)
    members = url("member-list", project_slug="class")
    added = client.post(members, {"username": "newcomer", "role": "observer"})
    assert added.status_code == 201
    assert added.json() == {
        "user": newcomer.pk,
        "username": "newcomer",
        "role": "observer",
        "tag_count": 0,
        "created": added.json()["created"],
    }
    changed = client.post(members, {"user": newcomer.pk, "role": "annotator"})
    assert changed.status_code == 200
    assert Membership.objects.get(project=team.project, user=newcomer).role == "annotator"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "annotator"}, "non_field_errors"),
        ({"username": "nobody", "role": "annotator"}, "username"),
        ({"username": "newcomer", "role": "admin"}, "role"),
    ],
)
def test_adding_a_member_needs_one_known_user_and_a_role(team, newcomer, api_as, body, field):
    response = api_as(team.owner).post(url("member-list", project_slug="class"), body)
    assert response.status_code == 400
    assert field in response.json()


def test_the_last_owner_cannot_step_down_or_leave(team, api_as):
    client = api_as(team.owner)
    demoted = client.post(
        url("member-list", project_slug="class"), {"user": team.owner.pk, "role": "annotator"}
    )
    assert demoted.status_code == 400
    assert "at least one owner" in demoted.json()["role"][0]
    left = client.delete(url("member-detail", project_slug="class", user=team.owner.pk))
    assert left.status_code == 400
    assert Membership.objects.get(project=team.project, user=team.owner).role == "owner"


def test_removing_someone_who_is_not_a_member_is_a_404(team, api_as):
    response = api_as(team.owner).delete(url("member-detail", project_slug="class", user=team.outsider.pk))
    assert response.status_code == 404


def test_members_are_listed_by_username(team, api_as):
    rows = api_as(team.observer).get(url("member-list", project_slug="class")).json()
    assert rows["count"] == 5
    assert [row["username"] for row in rows["results"]] == [
        "annotator",
        "annotator2",
        "instructor",
        "observer",
        "owner",
    ]


def test_a_non_member_gets_404_for_a_project_that_exists_and_one_that_does_not(team, api_as):
    client = api_as(team.outsider)
    for slug in ("class", "no-such-project"):
        assert client.get(url("project-detail", slug=slug)).status_code == 404
        assert client.get(url("member-list", project_slug=slug)).status_code == 404
