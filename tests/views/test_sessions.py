"""Session pages: the list, the form leads set a session up with, the session page with its live
progress and the submit button, and the reader opened to annotate in a session — blind sessions and
closing times included, as two annotators and their instructor live them."""

import re
from html import escape

import pytest
from django.utils import timezone

from sources.models import Annotation, AnnotationStatus, Session, Submission
from sources.services.annotations import annotation_create
from sources.services.sessions import session_create

from ..factories import MembershipFactory, UserFactory
from .conftest import make_source

HOUR = timezone.timedelta(hours=1)
SCRIPT = "<script>alert(1)</script>"


def open_session(team, sources, *, blind=False, participants=None, name="Week 1", instructions="") -> Session:
    return session_create(
        project=team.project,
        created_by=team.owner,
        name=name,
        instructions=instructions,
        opens_at=timezone.now() - HOUR,
        closes_at=timezone.now() + 24 * HOUR,
        blind=blind,
        sources=sources,
        participants=participants if participants is not None else [team.annotator, team.annotator2],
    )


def close(session: Session) -> None:
    """Move the closing time into the past, as the clock would."""
    Session.objects.filter(pk=session.pk).update(closes_at=timezone.now() - timezone.timedelta(minutes=1))
    session.refresh_from_db()


def tag(user, passage, theme, session, **span) -> Annotation:
    return annotation_create(passage=passage, theme=theme, author=user, session=session, **span)


@pytest.fixture
def session(team, source):
    return open_session(team, [source], instructions="Tag every passage on security.")


def reader(client, source, session=None) -> str:
    url = f"/p/class/sources/{source.pk}/" + (f"?session={session.pk}" if session else "")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def submit(client, session, *, follow: bool = False):
    return client.post(f"/p/class/sessions/{session.pk}/submit/", {"confirm": "yes"}, follow=follow)


# The list


def test_a_participant_sees_their_open_session_and_the_passages_still_to_tag(
    team, source, passages, themes, session, client_as
):
    client = client_as(team.annotator)
    page = client.get("/p/class/sessions/").content.decode()
    assert "Your open sessions" in page
    # The first passage to do is the first paragraph: headings are not counted as work to do.
    assert f'href="/p/class/sources/{source.pk}/?session={session.pk}#passage-1"' in page
    assert "0 / 4 passages tagged" in page

    tag(team.annotator, passages[1], themes["energy"], session)
    page = client.get("/p/class/sessions/").content.decode()
    assert "1 / 4 passages tagged" in page
    assert "next: passage 2" in page
    assert f"?session={session.pk}#passage-2" in page


def test_the_list_does_not_offer_work_to_those_outside_the_session_or_done_with_it(
    team, source, themes, session, client_as
):
    for user in [team.observer, team.instructor]:
        page = client_as(user).get("/p/class/sessions/").content.decode()
        assert "Your open sessions" not in page
        assert "Week 1" in page
    submit(client_as(team.annotator), session)
    page = client_as(team.annotator).get("/p/class/sessions/").content.decode()
    assert "Your open sessions" not in page
    assert re.search(r"<td>submitted</td>", page)


# Who may do what


@pytest.mark.parametrize("role", ["owner", "instructor", "annotator", "annotator2", "observer"])
def test_every_member_reads_the_sessions_pages(team, session, client_as, role):
    client = client_as(team.user(role))
    for url in ["/p/class/sessions/", f"/p/class/sessions/{session.pk}/"]:
        assert client.get(url).status_code == 200, url


def test_an_outsider_gets_404_on_every_session_page(team, session, client_as):
    client = client_as(team.outsider)
    for url in [
        "/p/class/sessions/",
        "/p/class/sessions/new/",
        f"/p/class/sessions/{session.pk}/",
        f"/p/class/sessions/{session.pk}/edit/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/p/class/sessions/{session.pk}/submit/", {"confirm": "yes"}).status_code == 404
    assert client.post("/p/class/sessions/new/", {"name": "x"}).status_code == 404


def test_a_session_of_another_project_is_404_here(team, client_as):
    elsewhere = Session.objects.create(
        project=team.other_project,
        name="Theirs",
        opens_at=timezone.now() - HOUR,
        closes_at=timezone.now() + HOUR,
    )
    assert client_as(team.owner).get(f"/p/class/sessions/{elsewhere.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["annotator", "observer"])
def test_only_leads_set_up_and_edit_sessions(team, session, client_as, role):
    client = client_as(team.user(role))
    assert client.get("/p/class/sessions/new/").status_code == 403
    assert client.post("/p/class/sessions/new/", {"name": "Mine"}).status_code == 403
    assert client.get(f"/p/class/sessions/{session.pk}/edit/").status_code == 403
    assert client.post(f"/p/class/sessions/{session.pk}/edit/", {"name": "Mine"}).status_code == 403
    assert Session.objects.get().name == "Week 1"
    page = client.get(f"/p/class/sessions/{session.pk}/").content.decode()
    assert "Edit session" not in page
    assert "New session" not in client.get("/p/class/sessions/").content.decode()


# The form


def error_below(page: str, field: str) -> str | None:
    """The error message shown right below a field's input."""
    found = re.search(rf'id="id_{field}"[^>]*>\s*<p class="field-error"[^>]*>([^<]+)</p>', page)
    return found.group(1) if found else None


def form_data(team, source, **changes) -> dict:
    data = {
        "name": "Week 2: energy",
        "instructions": "Energy passages only.",
        "opens_at": "2031-03-02T09:00",
        "closes_at": "2031-03-02T11:00",
        "blind": "on",
        "sources": [source.pk],
        "participants": [team.annotator.pk, team.annotator2.pk],
    }
    return data | changes


@pytest.mark.parametrize("role", ["owner", "instructor"])
def test_a_lead_sets_up_a_session_with_the_form(team, source, client_as, role):
    client = client_as(team.user(role))
    page = client.get("/p/class/sessions/new/").content.decode()
    assert 'type="datetime-local"' in page
    assert "observer" not in page  # observers read; they are not offered as participants
    response = client.post("/p/class/sessions/new/", form_data(team, source))
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/p/class/sessions/{session.pk}/"
    assert (session.name, session.blind, session.created_by) == ("Week 2: energy", True, team.user(role))
    assert session.opens_at.isoformat() == "2031-03-02T09:00:00+00:00"
    assert list(session.sources.all()) == [source]
    assert set(session.participants.all()) == {team.annotator, team.annotator2}
    assert "Session “Week 2: energy” is set up." in client.get(response["Location"]).content.decode()


def test_the_form_shows_each_refusal_next_to_its_field_and_saves_nothing(team, source, client_as):
    client = client_as(team.owner)
    stranger = UserFactory(username="stranger")
    response = client.post(
        "/p/class/sessions/new/",
        form_data(
            team,
            source,
            name="",
            closes_at="2031-03-02T08:00",
            participants=[team.annotator.pk, stranger.pk],
        ),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "The session was not saved" in page
    assert error_below(page, "name") == "This field is required."
    assert error_below(page, "closes_at") == "The session must close after it opens."
    assert "Select a valid choice" in page  # a user who is not a member is not among the choices
    assert not Session.objects.exists()
    # What was typed stays in the form.
    assert 'value="2031-03-02T08:00"' in page


def test_a_lead_edits_a_session_and_the_form_starts_from_its_values(team, source, session, client_as):
    client = client_as(team.instructor)
    page = client.get(f"/p/class/sessions/{session.pk}/edit/").content.decode()
    assert 'value="Week 1"' in page
    assert "Tag every passage on security." in page
    assert re.search(rf'value="{team.annotator.pk}"[^>]*checked', page)
    response = client.post(
        f"/p/class/sessions/{session.pk}/edit/", form_data(team, source, participants=[team.annotator.pk])
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.name == "Week 2: energy" and session.blind
    assert list(session.participants.all()) == [team.annotator]


# The session page


def test_the_session_page_shows_instructions_sources_and_everyones_progress(
    team, source, passages, themes, session, client_as
):
    tag(team.annotator, passages[1], themes["energy"], session)
    tag(team.annotator, passages[2], themes["energy"], session)
    tag(team.annotator2, passages[1], themes["terrorism"], session)
    page = client_as(team.annotator).get(f"/p/class/sessions/{session.pk}/").content.decode()
    assert "Tag every passage on security." in page
    assert "<strong>Open</strong> until" in page
    assert f'href="/p/class/sources/{source.pk}/?session={session.pk}#passage-3"' in page
    assert "Annotate in this session" in page
    rows = dict(re.findall(r'<th scope="row">(\w+)</th>.*?<td class="num">(\d+ / \d+)</td>', page, re.S))
    assert rows == {"annotator": "2 / 4", "annotator2": "1 / 4"}
    assert "Submit my work" in page
    assert 'hx-trigger="every 10s"' in page


def test_leads_get_review_links_and_observers_only_read(team, source, session, client_as):
    lead = client_as(team.instructor).get(f"/p/class/sessions/{session.pk}/").content.decode()
    assert f'href="/p/class/review/?session={session.pk}"' in lead
    assert f'href="/p/class/compare/?session={session.pk}"' in lead
    assert "Submit my work" not in lead
    observer = client_as(team.observer).get(f"/p/class/sessions/{session.pk}/").content.decode()
    for control in ["Submit my work", "Annotate in this session", "Edit session", "/p/class/review/"]:
        assert control not in observer
    assert "Read this session\N{RIGHT SINGLE QUOTATION MARK}s tags" in observer


def test_the_live_part_refreshes_itself_while_open_and_stops_once_closed(
    team, source, session, client_as, htmx_headers
):
    client = client_as(team.annotator)
    url = f"/p/class/sessions/{session.pk}/?shown=open"
    live = client.get(url, headers=htmx_headers).content.decode()
    assert live.strip().startswith('<div id="session-live"')
    assert f'hx-get="{url}" hx-trigger="every 10s"' in live
    assert "hx-swap-oob" not in live  # nothing changed: the submit panel is left alone
    close(session)
    live = client.get(url, headers=htmx_headers).content.decode()
    assert "hx-trigger" not in live
    # Out of band: the state line turns to "closed" and the submit button goes.
    assert 'id="session-state" class="session-state state-closed" hx-swap-oob="true"' in live
    assert 'id="my-work"' in live and "Submit my work" not in live


# Annotating in a session


def test_the_reader_opened_in_a_session_tags_in_that_session(
    team, source, passages, themes, session, client_as, htmx_headers
):
    client = client_as(team.annotator)
    page = reader(client, source, session)
    assert "Week 1" in page and "open until" in page
    url = f"/p/class/passages/{passages[1].pk}/annotations/?session={session.pk}"
    assert f'action="{url}"' in page
    response = client.post(url, {"theme": themes["energy"].pk}, headers=htmx_headers)
    assert response.status_code == 200
    annotation = Annotation.objects.get()
    assert annotation.session == session
    fragment = response.content.decode()
    assert f"/p/class/annotations/{annotation.pk}/?session={session.pk}" in fragment

    # A plain form post comes back to the passage, still in the session.
    response = client.post(url, {"theme": themes["terrorism"].pk})
    assert response["Location"] == f"/p/class/sources/{source.pk}/?session={session.pk}#passage-1"


def test_the_reader_in_a_session_shows_that_sessions_tags_only(
    team, source, passages, themes, session, client_as
):
    outside = annotation_create(passage=passages[1], theme=themes["terrorism"], author=team.annotator)
    inside = tag(team.annotator, passages[1], themes["energy"], session)
    client = client_as(team.annotator)
    in_session = reader(client, source, session)
    assert f'id="annotation-{inside.pk}"' in in_session
    assert f'id="annotation-{outside.pk}"' not in in_session
    plain = reader(client, source)
    assert f'id="annotation-{inside.pk}"' in plain and f'id="annotation-{outside.pk}"' in plain


def test_a_session_the_source_is_not_part_of_is_404_in_the_reader(team, source, themes, client_as):
    other = make_source(team.project, ["Heading", "Another text."], title="Other")
    session = open_session(team, [other])
    assert (
        client_as(team.annotator).get(f"/p/class/sources/{source.pk}/?session={session.pk}").status_code
        == 404
    )
    assert client_as(team.annotator).get(f"/p/class/sources/{source.pk}/?session=x").status_code == 404


def test_a_member_not_in_the_session_reads_it_but_cannot_tag_in_it(
    team, source, passages, themes, client_as, htmx_headers
):
    session = open_session(team, [source], participants=[team.annotator])
    client = client_as(team.annotator2)
    page = reader(client, source, session)
    assert 'id="palette"' not in page
    assert "You are not a participant of this session" in page
    response = client.post(
        f"/p/class/passages/{passages[1].pk}/annotations/?session={session.pk}",
        {"theme": themes["energy"].pk},
        headers=htmx_headers,
    )
    assert response.status_code == 422
    assert "not a participant" in response.content.decode()
    assert not Annotation.objects.exists()


def test_in_a_blind_session_two_annotators_see_only_their_own_tags_until_both_submitted(
    team, source, passages, themes, client_as
):
    session = open_session(team, [source], blind=True)
    first, second = client_as(team.annotator), client_as(team.annotator2)
    mine = tag(team.annotator, passages[1], themes["energy"], session, start=0, end=6)
    theirs = tag(team.annotator2, passages[1], themes["terrorism"], session)

    for page in [reader(first, source, session), reader(first, source)]:
        assert f'data-annotation="{mine.pk}"' in page
        assert f'data-annotation="{theirs.pk}"' not in page
    assert "only yours until you submit" in reader(first, source, session)
    for page in [reader(second, source, session), reader(second, source)]:
        assert f'data-annotation="{theirs.pk}"' in page
        assert f'data-annotation="{mine.pk}"' not in page
    # Nor does the compare page leak: annotators may not open it.
    assert second.get(f"/p/class/compare/?session={session.pk}").status_code == 403

    assert submit(second, session).status_code == 302
    # The first one has not submitted: their work stays theirs, and they stay blind to the colleague's.
    assert f'data-annotation="{mine.pk}"' not in reader(second, source, session)
    assert f'data-annotation="{theirs.pk}"' not in reader(first, source, session)
    assert submit(first, session).status_code == 302
    for page in [reader(first, source, session), reader(second, source, session)]:
        assert f'data-annotation="{mine.pk}"' in page and f'data-annotation="{theirs.pk}"' in page
    # Leads and observers see everything all along.
    for user in [team.instructor, team.observer]:
        page = reader(client_as(user), source, session)
        assert f'data-annotation="{mine.pk}"' in page and f'data-annotation="{theirs.pk}"' in page


# Submitting


def test_submitting_needs_the_confirmation_then_shows_the_submitted_state(
    team, source, passages, themes, session, client_as, htmx_headers
):
    annotation = tag(team.annotator, passages[1], themes["energy"], session)
    client = client_as(team.annotator)
    url = f"/p/class/sessions/{session.pk}/submit/"
    refused = client.post(url, {}, headers=htmx_headers)
    assert refused.status_code == 422
    assert "Tick the box to confirm" in refused.content.decode()
    assert not Submission.objects.exists()

    response = client.post(url, {"confirm": "yes"}, headers=htmx_headers)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "Submitted your work: 1 tag." in fragment
    assert "Submit my work" not in fragment and "status-submitted" in fragment
    annotation.refresh_from_db()
    assert annotation.status == AnnotationStatus.SUBMITTED

    # Submitted work is read-only in the reader.
    page = reader(client, source, session)
    assert "You submitted your work in this session" in page
    assert 'id="palette"' not in page and "tag-form" not in page
    assert f"/p/class/annotations/{annotation.pk}/delete/" not in page

    again = submit(client, session)
    assert again.status_code == 302
    assert "already submitted" in client.get(again["Location"]).content.decode()


def test_a_late_edit_after_closing_is_refused_with_a_clear_message_and_the_controls_vanish(
    team, source, passages, themes, session, client_as, htmx_headers
):
    annotation = tag(team.annotator, passages[1], themes["energy"], session)
    close(session)
    closed_at = escape(f"Session 'Week 1' closed at {session.closes_at:%Y-%m-%d %H:%M UTC}.")
    client = client_as(team.annotator)

    # Tagging from a page opened before closing: refused, with the closing time on the page.
    url = f"/p/class/passages/{passages[2].pk}/annotations/?session={session.pk}"
    response = client.post(url, {"theme": themes["energy"].pk}, headers=htmx_headers)
    assert response.status_code == 422
    assert closed_at in response.content.decode()
    response = client.post(url, {"theme": themes["energy"].pk}, follow=True)
    assert closed_at in response.content.decode()
    response = client.post(
        f"/p/class/annotations/{annotation.pk}/?session={session.pk}",
        {"note": "late", "version": annotation.version},
        follow=True,
    )
    assert closed_at in response.content.decode()
    assert Annotation.objects.count() == 1
    annotation.refresh_from_db()
    assert annotation.note == ""

    page = reader(client, source, session)
    assert "This session closed at" in page
    assert 'id="palette"' not in page and "tag-form" not in page
    assert f"/p/class/annotations/{annotation.pk}/delete/" not in page
    session_page = client.get(f"/p/class/sessions/{session.pk}/").content.decode()
    assert "<strong>Closed</strong> at" in session_page
    assert "Submit my work" not in session_page and "Annotate in this session" not in session_page
    assert "before you submitted" in session_page
    response = submit(client, session, follow=True)
    assert closed_at in response.content.decode()
    assert not Submission.objects.exists()


# Security


def test_session_pages_escape_user_text_and_keep_the_csp(team, source, client_as):
    session = open_session(team, [source], name=f"Week {SCRIPT}", instructions=f"Do {SCRIPT} now")
    team.annotator.first_name = "<b>Eve</b>"
    team.annotator.save()
    client = client_as(team.owner)
    for url in [
        "/p/class/sessions/",
        f"/p/class/sessions/{session.pk}/",
        f"/p/class/sessions/{session.pk}/edit/",
        f"/p/class/sources/{source.pk}/?session={session.pk}",
    ]:
        response = client.get(url)
        html = response.content.decode()
        assert SCRIPT not in html and "<b>Eve</b>" not in html, url
        assert "&lt;script&gt;" in html, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\sstyle=", html) and not re.search(r"\son[a-z]+=", html), url
        for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, flags=re.S):
            assert 'name="csrfmiddlewaretoken"' in form, url


def test_a_project_member_added_later_is_offered_as_a_participant(team, source, client_as):
    MembershipFactory(project=team.project, user=UserFactory(username="newcomer"))
    assert "newcomer" in client_as(team.owner).get("/p/class/sessions/new/").content.decode()


def test_an_upcoming_session_turns_open_in_the_polled_part(team, source, client_as, htmx_headers):
    session = open_session(team, [source])
    Session.objects.filter(pk=session.pk).update(opens_at=timezone.now() + HOUR)
    client = client_as(team.annotator)
    page = client.get(f"/p/class/sessions/{session.pk}/").content.decode()
    assert "<strong>Upcoming</strong>" in page and "Submit my work" not in page
    Session.objects.filter(pk=session.pk).update(opens_at=timezone.now() - HOUR)
    live = client.get(
        f"/p/class/sessions/{session.pk}/?shown=upcoming", headers=htmx_headers
    ).content.decode()
    assert 'id="session-state" class="session-state state-open" hx-swap-oob="true"' in live
    assert "Submit my work" in live


@pytest.mark.parametrize(
    ("role", "leads"), [("owner", True), ("instructor", True), ("annotator", False), ("observer", False)]
)
def test_the_project_navigation_links_sessions_export_and_for_leads_review_and_compare(
    team, source, client_as, role, leads
):
    page = client_as(team.user(role)).get("/p/class/").content.decode()
    nav = page[page.index('<nav class="project-nav"') : page.index("</nav>")]
    assert 'href="/p/class/sessions/"' in nav and 'href="/p/class/export/"' in nav
    assert ('href="/p/class/review/"' in nav) is leads
    assert ('href="/p/class/compare/"' in nav) is leads
