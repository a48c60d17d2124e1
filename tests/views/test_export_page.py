"""The export page: download now, background jobs with a polled progress fragment, releases."""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sources.models import ExportJob, Release, WorkerHeartbeat

from ..formats.conftest import build_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path) -> None:
    """Tasks run inline, as `db_worker` would run them; files go to a scratch MEDIA_ROOT."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def corpus(team):
    return build_corpus(team)


def test_every_member_sees_the_export_page_and_outsiders_get_404(corpus, team, client_as, client):
    for role in ("owner", "instructor", "annotator", "observer"):
        response = client_as(team.user(role)).get("/p/class/export/")
        assert response.status_code == 200, role
        assert b"Download now" in response.content
    assert client_as(team.outsider).get("/p/class/export/").status_code == 404
    assert client.get("/p/class/export/").status_code == 302  # to the login page


def test_only_leads_see_the_release_form(corpus, team, client_as):
    assert b"Freeze a release" in client_as(team.instructor).get("/p/class/export/").content
    assert b"Freeze a release" not in client_as(team.annotator).get("/p/class/export/").content


def test_download_now_streams_the_filtered_dataset(corpus, team, client_as):
    response = client_as(team.observer).get(
        "/p/class/export/download/", {"format": "csv", "status": "approved"}
    )
    assert response.status_code == 200
    frame = pd.read_csv(io.BytesIO(b"".join(response.streaming_content)), encoding="utf-8-sig")
    assert len(frame) == 5


def test_a_bad_filter_comes_back_to_the_page_with_a_message(corpus, team, client_as):
    response = client_as(team.observer).get(
        "/p/class/export/download/", {"format": "csv", "theme": "nope"}, follow=True
    )
    assert b"The project has no theme" in response.content


def test_a_background_export_runs_and_offers_its_file(corpus, team, client_as):
    client = client_as(team.annotator)
    response = client.post("/p/class/export/jobs/", {"format": "jsonl", "theme": "energy"})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert (job.status, job.total, job.done, job.percent) == ("done", 3, 3, 100)
    fragment = client.get(f"/p/class/export/jobs/{job.pk}/")
    assert b"hx-trigger" not in fragment.content  # finished: no more polling
    assert f"/p/class/export/jobs/{job.pk}/file/".encode() in fragment.content
    body = b"".join(client.get(f"/p/class/export/jobs/{job.pk}/file/").streaming_content)
    assert len(body.decode().splitlines()) == 2  # the two passages with energy tags
    assert client_as(team.annotator2).get(f"/p/class/export/jobs/{job.pk}/").status_code == 404


NO_WORKER = b"No background worker has been seen in the last minute"


def beat(*, ago: timedelta) -> None:
    moment = timezone.now() - ago
    WorkerHeartbeat.objects.create(worker_id=f"w{ago}", hostname="h", pid=1, started=moment, last_seen=moment)


def test_a_queued_job_with_a_live_worker_polls_itself(corpus, team, client_as):
    beat(ago=timedelta(seconds=5))
    job = ExportJob.objects.create(project=corpus.project, requested_by=team.observer, format="csv", total=10)
    fragment = client_as(team.observer).get(f"/p/class/export/jobs/{job.pk}/")
    assert b'hx-trigger="every 1s"' in fragment.content
    assert b'<progress class="progress" max="100" value="0"' in fragment.content
    assert NO_WORKER not in fragment.content


def test_a_queued_job_says_plainly_that_no_worker_is_running(corpus, team, client_as):
    beat(ago=timedelta(minutes=2))
    job = ExportJob.objects.create(project=corpus.project, requested_by=team.observer, format="csv", total=10)
    client = client_as(team.observer)
    fragment = client.get(f"/p/class/export/jobs/{job.pk}/")
    assert NO_WORKER in fragment.content and b"make worker" in fragment.content
    assert b'hx-trigger="every 5s"' in fragment.content  # and notices a worker that starts later
    assert NO_WORKER in client.get("/p/class/export/").content


def test_leads_freeze_releases_and_everyone_downloads_them(corpus, team, client_as):
    assert client_as(team.annotator).post("/p/class/export/releases/").status_code == 403
    response = client_as(team.instructor).post(
        "/p/class/export/releases/", {"title": "Gold", "pseudonymise": "on"}
    )
    assert response.status_code == 302
    release = Release.objects.get()
    assert release.pseudonymised and release.title == "Gold"
    page = client_as(team.observer).get("/p/class/export/")
    assert b"Gold" in page.content and release.created.strftime("%Y-%m-%d").encode() in page.content
    download = client_as(team.observer).get("/p/class/export/releases/1/")
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"


def test_the_export_page_query_count_does_not_grow_with_data(corpus, team, client_as):
    client = client_as(team.owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get("/p/class/export/")
        return len(captured)

    before = queries()
    for _ in range(3):
        ExportJob.objects.create(project=corpus.project, requested_by=team.owner, format="csv")
    assert queries() == before


def test_the_download_form_is_a_get_without_a_csrf_token(corpus, team, client_as):
    html = client_as(team.annotator).get("/p/class/export/").content.decode()
    form = html.split('id="export-choices"')[1].split("</form>")[0]
    assert "csrfmiddlewaretoken" not in form
    assert 'hx-post="/p/class/export/jobs/"' in form  # the background export posts with the page's token


def test_without_scripts_a_background_export_is_confirmed_with_a_post_carrying_the_filters(
    corpus, team, client_as
):
    client = client_as(team.annotator)
    html = client.get(
        "/p/class/export/", {"format": "jsonl", "theme": "energy", "prepare": "1"}
    ).content.decode()
    confirm = html.split('class="export-confirm"')[1].split("</form>")[0]
    assert "csrfmiddlewaretoken" in confirm
    assert '<input type="hidden" name="format" value="jsonl">' in confirm
    assert '<input type="hidden" name="theme" value="energy">' in confirm
    assert client.post("/p/class/export/jobs/", {"format": "jsonl", "theme": "energy"}).status_code == 302
    assert ExportJob.objects.get().filters == {"theme": "energy"}


def test_a_background_export_with_a_bad_filter_says_so_in_the_status_line(
    corpus, team, client_as, htmx_headers
):
    response = client_as(team.annotator).post(
        "/p/class/export/jobs/", {"format": "csv", "theme": "nope"}, headers=htmx_headers
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#flash"
    assert "The project has no theme" in response.content.decode()
    assert not ExportJob.objects.exists()


def brat_news() -> bytes:
    folder = Path(__file__).resolve().parent.parent / "data" / "brat" / "news"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return buffer.getvalue()


def test_a_lead_imports_from_the_page_and_reads_the_report_there(corpus, team, client_as):
    client = client_as(team.instructor)
    assert b"Import annotations" in client.get("/p/class/export/").content
    upload = SimpleUploadedFile("news.zip", brat_news(), content_type="application/zip")
    response = client.post(
        "/p/class/export/import/", {"file": upload, "format": "brat", "create_themes": "on"}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Imported from &#x27;news.zip&#x27;: 28 annotation(s) imported; 2 source(s) created" in page
    assert "skipped 2 brat relation(s), e.g. &#x27;000-introduction.ann: R2" in page
    assert "skipped 5 brat event(s)" in page


def test_a_bad_file_is_refused_on_the_page_naming_its_line_and_annotators_cannot_import(
    corpus, team, client_as
):
    bad = SimpleUploadedFile("x.jsonl", b'{"source": 3}\n')
    page = client_as(team.owner).post(
        "/p/class/export/import/", {"file": bad, "format": "jsonl"}, follow=True
    )
    assert "Nothing was imported: line 1, field" in page.content.decode()
    assert b"Import annotations" not in client_as(team.annotator).get("/p/class/export/").content
    refused = client_as(team.annotator).post(
        "/p/class/export/import/", {"file": SimpleUploadedFile("x.zip", brat_news()), "format": "brat"}
    )
    assert refused.status_code == 403
