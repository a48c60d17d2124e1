"""Blind sessions beyond the channel table: background exports and releases made by someone who saw
everything, leads, the writer, sessions that were never blind or have closed (docs/sessions.md)."""

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sources.models import ExportJob, Session
from sources.services.exports import export_job_run
from sources.services.sessions import session_submit

from .blind_world import MARKERS, C, D, E, M, R, T, World, api_client, body_text


def reader_export(w: World) -> set[str]:
    """The markers the reader finds in the project's JSONL export."""
    response = api_client(w.reader).get(
        reverse("api:project-export", kwargs={"slug": w.slug}), {"format": "jsonl"}
    )
    text = body_text(response)
    return {kind for kind, marker in MARKERS.items() if marker in text}


def test_an_annotator_cannot_download_an_instructors_background_export(world: World):
    instructor = Client()
    instructor.force_login(world.team.instructor)
    instructor.post(reverse("export-job-new", args=[world.slug]), {"format": "jsonl"})
    job = ExportJob.objects.get(requested_by=world.team.instructor)
    export_job_run(job_id=job.pk)
    assert MARKERS["tag"] in body_text(instructor.get(reverse("export-job-file", args=[world.slug, job.pk])))
    reader = Client()
    reader.force_login(world.reader)
    assert reader.get(reverse("export-job-file", args=[world.slug, job.pk])).status_code == 404


def test_a_file_made_for_someone_who_saw_everything_is_refused_to_them_once_they_no_longer_may(world: World):
    """An instructor's export, made while they saw everything, is not theirs to read after they
    become an annotator of the project, until the session's work is submitted."""
    instructor = Client()
    instructor.force_login(world.team.instructor)
    instructor.post(reverse("export-job-new", args=[world.slug]), {"format": "csv"})
    job = ExportJob.objects.get(requested_by=world.team.instructor)
    export_job_run(job_id=job.pk)
    world.team.project.memberships.filter(user=world.team.instructor).update(role="annotator")
    refused = instructor.get(reverse("export-job-file", args=[world.slug, job.pk]))
    assert refused.status_code == 403 and MARKERS["tag"] not in body_text(refused)
    world.session.participants.add(world.team.instructor)
    for user in (world.writer, world.team.instructor):
        session_submit(session=world.session, user=user)
    assert instructor.get(reverse("export-job-file", args=[world.slug, job.pk])).status_code == 200


def test_the_export_page_offers_a_release_only_to_whom_it_hides_nothing(world: World):
    reader = Client()
    reader.force_login(world.reader)
    link = reverse("release-file", args=[world.slug, world.release.number])
    assert f'href="{link}"' not in reader.get(reverse("export", args=[world.slug])).content.decode()
    observer = Client()
    observer.force_login(world.team.observer)
    assert f'href="{link}"' in observer.get(reverse("export", args=[world.slug])).content.decode()
    assert observer.get(link).status_code == 200


def test_leads_see_the_blind_sessions_work_at_once(world: World):
    for role in ("owner", "instructor", "observer"):
        api = api_client(world.team.user(role))
        text = body_text(
            api.get(reverse("api:project-export", kwargs={"slug": world.slug}), {"format": "jsonl"})
        )
        assert {kind for kind, marker in MARKERS.items() if marker in text} == {T, C, E, D, M}, role


def test_the_writer_sees_their_own_work_and_its_review_at_once(world: World):
    writer = Client()
    writer.force_login(world.writer)
    text = writer.get(reverse("reader", args=[world.slug, world.passages[0].source_id])).content.decode()
    assert all(MARKERS[kind] in text for kind in (T, C, R))


def test_a_session_that_was_never_blind_hides_nothing(world: World):
    Session.objects.filter(pk=world.session.pk).update(blind=False)
    assert reader_export(world) == {T, C, E, D, M}


def test_a_reader_who_is_not_a_participant_never_sees_the_work_of_a_blind_session(world: World):
    world.session.participants.remove(world.reader)
    session_submit(session=world.session, user=world.writer)
    assert reader_export(world) == set()


def test_sessions_close_without_lifting_the_blind(world: World):
    Session.objects.filter(pk=world.session.pk).update(
        opens_at=timezone.now() - timezone.timedelta(days=2),
        closes_at=timezone.now() - timezone.timedelta(days=1),
    )
    assert reader_export(world) == set()
