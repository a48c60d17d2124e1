"""Pages for projects: creating one, its settings (time zone, licence, archive, delete), the members
page with invitations, and joining by link."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from sources.models import Annotation, Invitation, Membership, Project, ProjectDeletion

from ..factories import AnnotationFactory, MembershipFactory, SessionFactory, UserFactory

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_a_new_user_is_told_what_to_do_next(client_as, db):
    page = client_as(UserFactory(username="newbie")).get("/").content.decode()
    assert 'href="/p/new/"' in page
    assert "Create a project" in page and "invitation link your instructor sent" in page


def test_creating_a_project_makes_the_creator_its_owner(client_as, db):
    user = UserFactory(username="teacher")
    client = client_as(user)
    assert all(
        label in client.get("/p/new/").content.decode() for label in (">Name<", ">Slug<", ">Description<")
    )
    response = client.post(
        "/p/new/", {"name": "Spring seminar", "slug": "spring-seminar", "description": "SCO"}
    )
    assert response.status_code == 302 and response["Location"] == "/p/spring-seminar/"
    assert Membership.objects.get(project__slug="spring-seminar").user == user
    assert Membership.objects.get(project__slug="spring-seminar").role == "owner"


@pytest.mark.parametrize(
    ("slug", "message"),
    [("class", "already exists"), ("Not a slug!", "Enter a valid"), ("new", "names a page of the site")],
)
def test_a_wrong_slug_is_shown_next_to_the_field(team, client_as, slug, message):
    response = client_as(team.outsider).post("/p/new/", {"name": "X", "slug": slug})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_slug_error"' in page and message in page
    assert Project.objects.count() == 2


@pytest.mark.parametrize(("role", "status"), [("instructor", 403), ("annotator", 403), ("outsider", 404)])
def test_only_owners_open_the_settings(team, client_as, role, status):
    assert client_as(team.user(role)).get("/p/class/settings/").status_code == status


def test_sessions_are_shown_in_the_project_time_zone_with_the_viewers_beside(team, client_as):
    moment = datetime(2026, 3, 2, 4, 0, tzinfo=ZoneInfo("UTC"))
    SessionFactory(project=team.project, name="Week 1", opens_at=moment, closes_at=moment.replace(hour=6))
    client = client_as(team.owner)
    response = client.post(
        "/p/class/settings/", {"name": "Class project", "licence": "CC0-1.0", "time_zone": "Asia/Almaty"}
    )
    assert response.status_code == 302
    page = client.get("/p/class/sessions/").content.decode()
    assert "2026-03-02 09:00 +05" in page  # Almaty is UTC+5
    assert "your time" not in page
    client.cookies["tz"] = "Europe/Berlin"
    page = client.get("/p/class/sessions/").content.decode()
    assert "2026-03-02 09:00 +05" in page and "(2026-03-02 05:00 CET your time)" in page


def test_session_times_are_entered_in_the_project_time_zone(team, client_as):
    Project.objects.filter(pk=team.project.pk).update(time_zone="Asia/Almaty")
    response = client_as(team.owner).post(
        "/p/class/sessions/new/",
        {"name": "Week 2", "opens_at": "2026-03-09T09:00", "closes_at": "2026-03-09T11:00"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = team.project.sessions.get(name="Week 2")
    assert session.opens_at == datetime(2026, 3, 9, 4, 0, tzinfo=ZoneInfo("UTC"))


def test_an_unknown_time_zone_is_shown_next_to_its_field(team, client_as):
    response = client_as(team.owner).post("/p/class/settings/", {"name": "Class", "time_zone": "Mars/Base"})
    assert response.status_code == 422
    assert 'id="id_time_zone_error"' in response.content.decode()


def test_an_archived_project_is_read_only_on_the_pages_too(team, client_as, source, themes, passages):
    owner = client_as(team.owner)
    assert owner.post("/p/class/settings/archive/", {"archived": "1"}).status_code == 302
    annotator = client_as(team.annotator)
    page = annotator.get("/p/class/").content.decode()
    assert "This project is archived" in page
    tagged = annotator.post(
        f"/p/class/passages/{passages[1].pk}/annotations/", {"theme": themes["energy"].pk}
    )
    assert tagged.status_code == 403
    assert not Annotation.objects.exists()
    assert client_as(team.instructor).get("/p/class/sessions/new/").status_code == 403
    owner.post("/p/class/settings/archive/", {"archived": "0"})
    tagged = annotator.post(
        f"/p/class/passages/{passages[1].pk}/annotations/", {"theme": themes["energy"].pk}
    )
    assert tagged.status_code in (200, 302)
    assert Annotation.objects.count() == 1


def test_deleting_needs_the_slug_typed_and_shows_its_progress(team, client_as, settings, source):
    AnnotationFactory(passage=source.passages.first(), author=team.annotator)
    client = client_as(team.owner)
    refused = client.post("/p/class/settings/delete/", {"confirm": "clas"})
    assert refused.status_code == 422 and "Type “class” exactly" in refused.content.decode()
    assert Project.objects.filter(slug="class").exists()

    settings.TASKS = IMMEDIATE
    response = client.post("/p/class/settings/delete/", {"confirm": "class"})
    deletion = ProjectDeletion.objects.get()
    assert response["Location"] == f"/deletions/{deletion.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "is deleted" in page and 'value="100"' in page
    assert not Project.objects.filter(slug="class").exists()
    assert client_as(team.instructor).get(response["Location"]).status_code == 404


def test_the_members_page_lists_roles_and_tag_counts_for_members_only(team, client_as, source):
    AnnotationFactory.create_batch(3, passage=source.passages.first(), author=team.annotator)
    page = client_as(team.observer).get("/p/class/members/").content.decode()
    assert "annotator2" in page and "Revoke" not in page and "Join link" not in page
    row = page[page.index('id="member-' + str(team.annotator.pk)) :]
    assert "<td>3</td>" in row[: row.index("</tr>")]
    assert client_as(team.outsider).get("/p/class/members/").status_code == 404


def test_the_members_page_costs_the_same_for_a_small_or_a_large_team(
    team, client_as, source, django_assert_max_num_queries
):
    client = client_as(team.owner)
    with django_assert_max_num_queries(8) as small:
        before = client.get("/p/class/members/")
    assert before.status_code == 200 and before.text.count('<tr id="member-') == 5
    for n in range(30):
        student = MembershipFactory(project=team.project, user=UserFactory(username=f"student{n}")).user
        AnnotationFactory(passage=source.passages.first(), author=student)
        Invitation.objects.create(project=team.project, kind="email", email=f"s{n}@example.org")
    with django_assert_max_num_queries(len(small.captured_queries)):
        after = client.get("/p/class/members/")
    assert after.status_code == 200
    assert after.text.count('<tr id="member-') == 35 and after.text.count('<tr id="invitation-') == 30
    student = User.objects.get(username="student29")
    row = after.text[after.text.index(f'id="member-{student.pk}"') :]
    assert "<td>1</td>" in row[: row.index("</tr>")]  # the student's one tag


def test_owners_change_roles_but_never_demote_the_last_owner(team, client_as):
    client = client_as(team.owner)
    client.post(f"/p/class/members/{team.annotator.pk}/role/", {"role": "instructor"})
    assert Membership.objects.get(project=team.project, user=team.annotator).role == "instructor"
    response = client.post(f"/p/class/members/{team.owner.pk}/role/", {"role": "annotator"}, follow=True)
    assert "at least one owner" in response.content.decode()
    assert Membership.objects.get(project=team.project, user=team.owner).role == "owner"
    assert client_as(team.instructor).post(f"/p/class/members/{team.observer.pk}/remove/").status_code == 403


def test_a_join_link_with_role_and_expiry_lets_a_signed_in_user_in(team, client_as):
    Project.objects.filter(pk=team.project.pk).update(time_zone="Asia/Almaty")
    owner = client_as(team.owner)
    page = owner.get("/p/class/members/").content.decode()
    assert ">Role<" in page and ">Expires<" in page
    owner.post("/p/class/invitations/link/", {"role": "annotator", "expires_at": "2099-01-01T09:00"})
    link = Invitation.objects.get()
    assert link.expires_at == datetime(2099, 1, 1, 4, 0, tzinfo=ZoneInfo("UTC"))
    assert f"/join/{link.token}/" in owner.get("/p/class/members/").content.decode()

    newcomer = UserFactory(username="newcomer")
    response = client_as(newcomer).get(f"/join/{link.token}/")
    assert response["Location"] == "/p/class/"
    assert Membership.objects.get(project=team.project, user=newcomer).role == "annotator"


def test_a_revoked_or_unknown_link_says_so(team, client_as):
    link = Invitation.objects.create(project=team.project, kind="link", role="annotator")
    owner = client_as(team.owner)
    owner.post(f"/p/class/invitations/{link.pk}/revoke/")
    response = client_as(UserFactory(username="late")).get(f"/join/{link.token}/")
    assert response.status_code == 410 and "revoked" in response.content.decode()
    assert client_as(team.outsider).get("/join/not-a-token/").status_code == 404


def test_someone_signed_out_is_sent_to_sign_up_and_the_invitation_remembered(team, client):
    link = Invitation.objects.create(project=team.project, kind="link", role="annotator")
    response = client.get(f"/join/{link.token}/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"?next=%2Fjoin%2F{link.token}%2F")
    assert client.session["invitation_token"] == link.token


def test_an_expiry_in_the_past_is_shown_next_to_its_field(team, client_as):
    response = client_as(team.owner).post(
        "/p/class/invitations/link/", {"role": "annotator", "expires_at": "2001-01-01T00:00"}
    )
    assert response.status_code == 422
    assert 'id="id_expires_at_error"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_email_invitations_and_rosters_from_the_page(team, client_as, mailoutbox):
    owner = client_as(team.owner)
    wrong = owner.post("/p/class/invitations/email/", {"emails": "ada@example.org nope", "role": "annotator"})
    assert wrong.status_code == 422 and "Not e-mail addresses: nope" in wrong.content.decode()
    owner.post(
        "/p/class/invitations/email/", {"emails": "ada@example.org, bob@example.org", "role": "observer"}
    )
    assert len(mailoutbox) == 2
    roster = SimpleUploadedFile(
        "roster.csv", b"name,email,role\nCy,cy@example.org,annotator\nDee,dee,annotator\n"
    )
    refused = owner.post("/p/class/invitations/roster/", {"file": roster})
    assert (
        refused.status_code == 422
        and "line 3: &#x27;dee&#x27; is not an e-mail address" in refused.content.decode()
    )
    assert Invitation.objects.count() == 2
    roster = SimpleUploadedFile("roster.csv", b"name,email,role\nCy,cy@example.org,annotator\n")
    owner.post("/p/class/invitations/roster/", {"file": roster})
    page = owner.get("/p/class/members/").content.decode()
    assert all(address in page for address in ("ada@example.org", "bob@example.org", "cy@example.org"))


def test_history_and_agreement_are_in_the_navigation_for_leads_only(team, client_as):
    lead = client_as(team.instructor).get("/p/class/").content.decode()
    assert 'href="/p/class/history/"' in lead and 'href="/p/class/agreement/"' in lead
    annotator = client_as(team.annotator).get("/p/class/").content.decode()
    assert 'href="/p/class/history/"' not in annotator and 'href="/p/class/agreement/"' not in annotator
    assert 'href="/p/class/settings/"' in client_as(team.owner).get("/p/class/").content.decode()
    assert 'href="/p/class/settings/"' not in lead
