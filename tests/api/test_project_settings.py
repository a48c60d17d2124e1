"""/api/projects/{slug}/: settings (licence, time zone, archive) and deletion as a background job."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from sources.models import Annotation, Passage, Project, ProjectDeletion
from sources.permissions import ARCHIVED_MESSAGE
from sources.services.project_deletion import project_deletion_run

from .conftest import url


def client_for(user) -> APIClient:
    """Its own client per user: `api_as` re-authenticates one shared client."""
    client = APIClient()
    client.force_authenticate(user)
    return client


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_the_owner_sets_the_licence_and_the_time_zone(team, api_as):
    response = api_as(team.owner).patch(
        url("project-detail", slug="class"), {"licence": "CC-BY-4.0", "time_zone": "Asia/Almaty"}
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["licence"], response.json()["time_zone"]) == ("CC-BY-4.0", "Asia/Almaty")


@pytest.mark.parametrize(
    ("body", "field"), [({"time_zone": "Mars/Olympus"}, "time_zone"), ({"licence": "WTFPL"}, "licence")]
)
def test_an_unknown_time_zone_or_licence_is_a_400_naming_it(team, api_as, body, field):
    response = api_as(team.owner).patch(url("project-detail", slug="class"), body)
    assert response.status_code == 400
    assert field in response.json()
    assert Project.objects.get(slug="class").time_zone == "UTC"


def test_a_new_project_may_not_take_a_page_slug(team, api_as):
    response = api_as(team.annotator).post(url("project-list"), {"slug": "new", "name": "New"})
    assert response.status_code == 400
    assert "slug" in response.json()


def test_an_archived_project_refuses_every_write_with_a_clear_message(world):
    owner = client_for(world.team.owner)
    assert owner.patch(url("project-detail", slug="class"), {"archived": True}).json()["archived"] is True
    tag = {"passage": world.passages[2].pk, "theme": world.terrorism.pk}
    for user in (world.team.owner, world.team.annotator):
        response = client_for(user).post(url("annotation-list"), tag)
        assert response.status_code == 403
        assert response.json()["detail"] == ARCHIVED_MESSAGE
    assert owner.patch(url("annotation-detail", pk=world.annotation.pk), {"note": "x"}).status_code == 403
    assert (
        owner.post(
            url("member-list", project_slug="class"), {"username": "outsider", "role": "annotator"}
        ).json()["detail"]
        == ARCHIVED_MESSAGE
    )
    renamed = owner.patch(url("project-detail", slug="class"), {"name": "Renamed"})
    assert renamed.status_code == 400
    assert "restore" in renamed.json()["archived"][0]
    # Reading and exporting still work.
    assert client_for(world.team.annotator).get(url("annotation-list")).status_code == 200
    assert (
        client_for(world.team.observer)
        .get(url("project-export", slug="class"), {"format": "csv"})
        .status_code
        == 200
    )
    # The owner restores it; writing works again.
    assert owner.patch(url("project-detail", slug="class"), {"archived": False}).status_code == 200
    assert client_for(world.team.annotator).post(url("annotation-list"), tag).status_code == 201


def test_deleting_answers_202_with_a_job_that_tells_its_progress(world):
    """Without a worker the deletion waits, queued; the project is read-only meanwhile."""
    owner = client_for(world.team.owner)
    response = owner.delete(url("project-detail", slug="class"))
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued"
    assert body["total"] == Annotation.objects.count() + Passage.objects.count() + 2  # + evidence
    assert Project.objects.get(slug="class").archived
    job = owner.get(body["job"])
    assert (job.status_code, job.json()["percent"]) == (200, 0)
    again = owner.delete(url("project-detail", slug="class"))
    assert again.status_code == 409
    assert again.json()["existing_id"] == body["id"]
    # Others never see the job, even of a project they were in.
    assert client_for(world.team.instructor).get(body["job"]).status_code == 404

    project_deletion_run(job_id=body["id"])  # what the task worker does
    done = owner.get(body["job"]).json()
    assert (done["status"], done["percent"], done["done"]) == ("done", 100, body["total"])
    assert not Project.objects.filter(slug="class").exists()
    assert not Annotation.objects.exists()


def test_deletion_runs_in_batches_and_reports_each(world, monkeypatch, api_as):
    from sources.services import project_deletion

    monkeypatch.setattr(project_deletion, "BATCH", 2)
    body = client_for(world.team.owner).delete(url("project-detail", slug="class")).json()
    reports = []
    original = project_deletion.project_delete

    def recording(*, project, progress):
        original(project=project, progress=lambda count: (reports.append(count), progress(count)))

    monkeypatch.setattr(project_deletion, "project_delete", recording)
    project_deletion_run(job_id=body["id"])
    assert max(reports) == 2
    assert sum(reports) == body["total"]
    assert ProjectDeletion.objects.get(pk=body["id"]).done == body["total"]


def test_the_owner_deletes_at_once_when_a_worker_runs_immediately(world, api_as, settings):
    settings.TASKS = IMMEDIATE
    client = client_for(world.team.owner)
    response = client.delete(url("project-detail", slug="class"))
    assert response.json()["status"] == "queued"  # as it was when answered
    assert client.get(response.json()["job"]).json()["status"] == "done"


def test_roster_upload_refuses_a_bad_file_naming_each_line_and_invites_nobody(team, api_as):
    roster = (
        b"name,email,role\nAda,ada@example.org,annotator\n"
        b"Bob,not-an-address,annotator\nCy,cy@example.org,boss\n"
    )
    file = SimpleUploadedFile("roster.csv", roster, content_type="text/csv")
    response = api_as(team.owner).post(
        url("project-roster", slug="class"), {"file": file}, format="multipart"
    )
    assert response.status_code == 400
    problems = response.json()["file"]
    assert any(p.startswith("line 3:") and "not-an-address" in p for p in problems)
    assert any(p.startswith("line 4:") and "boss" in p for p in problems)
    assert api_as(team.owner).get(url("project-invitations", slug="class")).json() == []


def test_the_invitation_list_costs_the_same_for_10_or_200(team, api_as, django_assert_max_num_queries):
    from sources.models import Invitation

    def grow(count: int) -> None:
        Invitation.objects.bulk_create(
            Invitation(
                project=team.project, kind="email", email=f"s{Invitation.objects.count() + n}@example.org"
            )
            for n in range(count)
        )

    client = api_as(team.owner)
    grow(10)
    with django_assert_max_num_queries(3) as small:
        assert len(client.get(url("project-invitations", slug="class")).json()) == 10
    grow(190)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(url("project-invitations", slug="class")).json()) == 200
