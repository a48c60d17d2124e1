"""Who sees which page: every member reads, an outsider gets 404, nobody signed out gets in."""

import pytest

from sources.models import Role

from ..factories import AnnotationFactory, ClaimFactory, EvidenceFactory

MEMBERS = ["owner", "instructor", "annotator", "annotator2", "observer"]


def page_urls(source) -> list[str]:
    return [
        "/p/class/",
        f"/p/class/sources/{source.pk}/",
        "/p/class/claims/",
        "/p/class/search/?q=SCO",
        "/p/class/themes.css",
    ]


@pytest.mark.parametrize("role", MEMBERS)
def test_every_member_reads_every_page(team, source, themes, client_as, role):
    client = client_as(team.user(role))
    for url in page_urls(source):
        assert client.get(url).status_code == 200, url


def test_an_outsider_gets_404_on_every_page_of_the_project(team, source, passages, themes, client_as):
    client = client_as(team.outsider)
    annotation = AnnotationFactory(passage=passages[1], theme=themes["energy"], author=team.annotator)
    for url in [
        *page_urls(source),
        f"/p/class/passages/{passages[1].pk}/link/",
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        f"/p/class/passages/{passages[1].pk}/annotations/",
        f"/p/class/annotations/{annotation.pk}/",
        f"/p/class/annotations/{annotation.pk}/delete/",
        "/p/class/claims/",
    ]:
        assert client.post(url, {"theme": themes["energy"].pk, "text": "x"}).status_code == 404, url


def test_a_source_of_another_project_is_404_even_for_a_member_here(team, client_as):
    from .conftest import make_source

    elsewhere = make_source(team.other_project, ["Not yours."])
    assert client_as(team.annotator).get(f"/p/class/sources/{elsewhere.pk}/").status_code == 404


def test_signed_out_visitors_are_sent_to_log_in(client, team, source):
    for url in ["/", *page_urls(source)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=")


def test_my_projects_lists_only_mine_with_my_role(team, client_as):
    page = client_as(team.observer).get("/").content.decode()
    assert "Class project" in page
    assert "Another team&#x27;s project" not in page
    assert "role-observer" in page


def test_login_page_logs_in_and_out(client, team):
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"login": "annotator", "password": "pw-for-tests"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Log out" in client.get("/").content.decode()
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("role", ["owner", "instructor", "annotator"])
def test_writers_get_the_palette_the_tag_forms_and_the_link_dialog(team, source, themes, client_as, role):
    page = client_as(team.user(role)).get(f"/p/class/sources/{source.pk}/").content.decode()
    assert 'id="palette"' in page
    assert 'class="tag-form"' in page
    assert 'id="link-dialog"' in page
    assert 'aria-keyshortcuts="t"' in page


def test_an_observer_gets_a_read_only_reader_and_board(team, source, passages, themes, client_as):
    AnnotationFactory(passage=passages[1], theme=themes["energy"], author=team.annotator, note="Shown to all")
    claim = ClaimFactory(project=team.project, author=team.annotator)
    EvidenceFactory(claim=claim, passage=passages[1], author=team.annotator)
    client = client_as(team.observer)
    reader = client.get(f"/p/class/sources/{source.pk}/").content.decode()
    assert "Shown to all" in reader
    assert "readonly-note" in reader
    for control in ['id="palette"', "tag-form", "note-editor", "link-dialog", "/delete/", "<textarea"]:
        assert control not in reader, control
    board = client.get("/p/class/claims/").content.decode()
    assert claim.text in board
    assert "claim-form" not in board and "/delete/" not in board


def test_annotators_get_delete_on_their_own_tags_only_leads_on_all(team, passages, themes, client_as, source):
    mine = AnnotationFactory(passage=passages[1], theme=themes["energy"], author=team.annotator)
    theirs = AnnotationFactory(passage=passages[1], theme=themes["terrorism"], author=team.annotator2)
    url = f"/p/class/sources/{source.pk}/"
    as_annotator = client_as(team.annotator).get(url).content.decode()
    assert f"/annotations/{mine.pk}/delete/" in as_annotator
    assert f"/annotations/{theirs.pk}/delete/" not in as_annotator
    as_instructor = client_as(team.instructor).get(url).content.decode()
    assert f"/annotations/{mine.pk}/delete/" in as_instructor
    assert f"/annotations/{theirs.pk}/delete/" in as_instructor


def test_the_reader_shows_passages_in_order_under_their_headings(team, source, client_as):
    page = client_as(team.annotator).get(f"/p/class/sources/{source.pk}/").content.decode()
    heading = page.index('<h2 class="passage-text" data-text>Security first</h2>')
    first = page.index("China uses the SCO to fight terrorism")
    second = page.index("Energy from Central Asia")
    assert heading < first < second
    assert '<a href="#passage-0">Security first</a>' in page  # the table of contents


def test_the_dashboard_shows_progress_per_annotator_and_tags_per_theme(
    team, source, passages, themes, client_as
):
    AnnotationFactory(passage=passages[1], theme=themes["energy"], author=team.annotator)
    AnnotationFactory(passage=passages[1], theme=themes["terrorism"], author=team.annotator, start=0, end=5)
    AnnotationFactory(passage=passages[2], theme=themes["energy"], author=team.annotator)
    AnnotationFactory(passage=passages[2], theme=themes["energy"], author=team.annotator2)
    page = client_as(team.observer).get("/p/class/").content.decode()
    assert 'aria-label="annotator: 2 of 4 passages tagged"' in page
    assert 'aria-label="annotator2: 1 of 4 passages tagged"' in page
    assert 'aria-label="Energy: 3 tags"' in page
    assert 'aria-label="Terrorism: 1 tag"' in page
    assert '<rect class="bar-fill" width="100.0"' in page  # the largest theme fills its bar


def test_the_dashboard_lists_recent_activity_and_refreshes_it_as_a_fragment(
    team, source, passages, themes, client_as, htmx_headers
):
    AnnotationFactory(passage=passages[2], theme=themes["energy"], author=team.annotator, start=0, end=6)
    claim = ClaimFactory(project=team.project, author=team.annotator2, text="Energy drives it all.")
    EvidenceFactory(claim=claim, passage=passages[2], author=team.annotator2, relation="contradicts")
    client = client_as(team.owner)
    assert "“Energy”" in client.get("/p/class/").content.decode()
    fragment = client.get("/p/class/", headers=htmx_headers).content.decode()
    assert fragment.lstrip().startswith('<ol id="activity"')
    assert "<html" not in fragment
    assert "Energy drives it all." in fragment
    assert f"/p/class/sources/{source.pk}/#passage-2" in fragment


def test_a_membership_role_change_shows_up_at_once(team, source, client_as):
    team.project.memberships.filter(user=team.observer).update(role=Role.ANNOTATOR)
    page = client_as(team.observer).get(f"/p/class/sources/{source.pk}/").content.decode()
    assert 'id="palette"' in page
