"""Disagreement threads: the fragment other pages load with hx-get, starting and replying (members who
annotate), deciding (owners and instructors), and the decision in the tags' history."""

import re

import pytest

from sources.models import Annotation, Comment, Discussion
from sources.services.discussions import discussion_start

from ..factories import AnnotationFactory, SessionFactory

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def disputed(team, passages, themes):
    """annotator tags passage 1 as terrorism (a span), annotator2 as a whole passage."""
    start = passages[1].text.index("terrorism")
    mine = AnnotationFactory(
        passage=passages[1], theme=themes["terrorism"], author=team.annotator, start=start, end=start + 9
    )
    theirs = AnnotationFactory(passage=passages[1], theme=themes["terrorism"], author=team.annotator2)
    return mine, theirs


def action_url(discussion, action: str, passage, themes) -> str:
    """A reply or decision URL, naming the thread's passage and theme as the fragment's forms do."""
    return (
        f"/p/class/discussions/{discussion.pk}/{action}/?passage={passage.pk}&theme={themes['terrorism'].pk}"
    )


def thread_url(passages, themes, extra: str = "") -> str:
    return f"/p/class/discussions/?passage={passages[1].pk}&theme={themes['terrorism'].pk}{extra}"


def test_the_fragment_lists_the_tags_and_threads_of_a_passage_and_theme(
    team, passages, themes, disputed, client_as, htmx_headers
):
    discussion_start(
        passage=passages[1], theme=themes["terrorism"], started_by=team.annotator2, text="Is this terrorism?"
    )
    response = client_as(team.observer).get(thread_url(passages, themes), headers=htmx_headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<section class="discussion-panel" id="discussion-{passages[1].pk}-')
    assert "<html" not in html
    assert "Is this terrorism?" in html and "<q>terrorism</q>" in html and "whole passage" in html
    assert "reply-form" not in html and "decide-form" not in html  # observers read only
    page = client_as(team.observer).get(thread_url(passages, themes)).content.decode()
    assert "<html" in page and passages[1].text in page


def test_an_annotator_starts_a_thread_and_replies_without_a_reload(
    team, passages, themes, disputed, client_as, htmx_headers
):
    client = client_as(team.annotator)
    html = client.get(thread_url(passages, themes), headers=htmx_headers).content.decode()
    assert "Start a discussion" in html and "decide-form" not in html
    started = client.post(
        thread_url(passages, themes), {"start-text": "I read it as separatism."}, headers=htmx_headers
    )
    assert started.status_code == 200
    assert "Discussion started." in started.content.decode()
    discussion = Discussion.objects.get()
    assert (discussion.passage, discussion.theme, discussion.started_by) == (
        passages[1],
        themes["terrorism"],
        team.annotator,
    )

    reply_url = action_url(discussion, "replies", passages[1], themes)
    replied = client_as(team.annotator2).post(
        reply_url, {f"comment-{discussion.pk}-text": f"No: {SCRIPT}"}, headers=htmx_headers
    )
    assert replied.status_code == 200
    html = replied.content.decode()
    assert "No: &lt;script&gt;" in html and SCRIPT not in html
    assert [c.text for c in Comment.objects.order_by("id")] == ["I read it as separatism.", f"No: {SCRIPT}"]

    empty = client.post(reply_url, {f"comment-{discussion.pk}-text": "  "}, headers=htmx_headers)
    assert empty.status_code == 422
    assert "This field is required." in empty.content.decode()


def test_a_thread_started_from_a_session_page_belongs_to_the_session(
    team, source, passages, themes, client_as, htmx_headers
):
    session = SessionFactory(project=team.project)
    session.sources.set([source])
    client_as(team.annotator).post(
        thread_url(passages, themes, f"&session={session.pk}"), {"start-text": "Here?"}, headers=htmx_headers
    )
    assert Discussion.objects.get().session == session
    other = SessionFactory(project=team.other_project)
    assert (
        client_as(team.annotator).get(thread_url(passages, themes, f"&session={other.pk}")).status_code == 404
    )


def test_an_instructor_decides_and_the_decision_shows_in_the_tags_history(
    team, passages, themes, disputed, client_as, htmx_headers
):
    mine, theirs = disputed
    discussion = discussion_start(
        passage=passages[1], theme=themes["terrorism"], started_by=team.annotator2, text="Is this terrorism?"
    )
    lead = client_as(team.instructor)
    html = lead.get(thread_url(passages, themes), headers=htmx_headers).content.decode()
    assert "Record the decision" in html
    decide = action_url(discussion, "decide", passages[1], themes)
    prefix = f"decide-{discussion.pk}"
    response = lead.post(
        decide,
        {
            f"{prefix}-decision": "accepted",
            f"{prefix}-reason": "The passage names terrorism.",
            f"{prefix}-tag-{mine.pk}": "approve",
            f"{prefix}-tag-{theirs.pk}": "reject",
        },
        headers=htmx_headers,
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert '<span class="decision-label">Accepted</span> by instructor' in fragment
    assert (Annotation.objects.get(pk=mine.pk).status, Annotation.objects.get(pk=theirs.pk).status) == (
        "approved",
        "rejected",
    )

    history = (
        client_as(team.annotator).get(f"/p/class/history/?model=annotation&id={mine.pk}").content.decode()
    )
    assert "adjudicated (accepted): The passage names terrorism." in history
    assert "Is this terrorism?" in history and "Accepted</span> by instructor" in history
    assert re.search(
        r"<del>Draft</del> <span class=\"arrow\" aria-label=\"changed to\">→</span> <ins>Approved</ins>",
        history,
    )


def test_a_decision_needs_a_reason_and_a_known_decision(
    team, passages, themes, disputed, client_as, htmx_headers
):
    discussion = discussion_start(
        passage=passages[1], theme=themes["terrorism"], started_by=team.annotator2, text="?"
    )
    decide = action_url(discussion, "decide", passages[1], themes)
    response = client_as(team.instructor).post(
        decide,
        {f"decide-{discussion.pk}-decision": "maybe", f"decide-{discussion.pk}-reason": ""},
        headers=htmx_headers,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Select a valid choice. maybe is not one of the available choices." in html
    assert f'id="id_decide-{discussion.pk}-reason-error">This field is required.' in html
    assert Discussion.objects.get().decision == ""


@pytest.mark.parametrize("role", ["annotator", "observer"])
def test_only_leads_decide(team, passages, themes, disputed, client_as, role):
    discussion = discussion_start(
        passage=passages[1], theme=themes["terrorism"], started_by=team.annotator2, text="?"
    )
    decide = action_url(discussion, "decide", passages[1], themes)
    response = client_as(team.user(role)).post(
        decide, {f"decide-{discussion.pk}-decision": "accepted", f"decide-{discussion.pk}-reason": "x"}
    )
    assert response.status_code == 403
    assert Discussion.objects.get().decision == ""


def test_observers_do_not_start_threads_and_outsiders_see_nothing(
    team, passages, themes, disputed, client_as
):
    assert client_as(team.observer).post(thread_url(passages, themes), {"start-text": "x"}).status_code == 403
    outsider = client_as(team.outsider)
    assert outsider.get(thread_url(passages, themes)).status_code == 404
    assert outsider.post(thread_url(passages, themes), {"start-text": "x"}).status_code == 404
    assert not Discussion.objects.exists()


def test_a_thread_is_answered_only_under_its_own_passage_and_theme(
    team, passages, themes, disputed, client_as
):
    discussion = discussion_start(
        passage=passages[1], theme=themes["terrorism"], started_by=team.annotator2, text="?"
    )
    wrong = action_url(discussion, "replies", passages[2], themes)
    assert client_as(team.annotator).post(wrong, {f"comment-{discussion.pk}-text": "x"}).status_code == 404
    assert client_as(team.annotator).get("/p/class/discussions/?passage=abc").status_code == 404


def test_without_htmx_a_reply_redirects_back_to_the_thread_page(team, passages, themes, disputed, client_as):
    discussion = discussion_start(
        passage=passages[1], theme=themes["terrorism"], started_by=team.annotator2, text="?"
    )
    query = f"passage={passages[1].pk}&theme={themes['terrorism'].pk}"
    response = client_as(team.annotator).post(
        f"/p/class/discussions/{discussion.pk}/replies/?{query}",
        {f"comment-{discussion.pk}-text": "Plain post."},
    )
    assert response.status_code == 302 and response["Location"] == f"/p/class/discussions/?{query}"


def test_the_compare_page_offers_a_discuss_button_per_disagreement(
    team, source, passages, themes, disputed, client_as, htmx_headers
):
    AnnotationFactory(passage=passages[1], theme=themes["energy"], author=team.annotator)
    client = client_as(team.instructor)
    html = client.get(f"/p/class/compare/?source={source.pk}").content.decode()
    button = re.search(
        r'<a class="button small" href="[^"]+" hx-get="([^"]+)" hx-target="#discussion-slot-(\d+)"', html
    )
    assert button is not None and int(button.group(2)) == passages[1].pk
    assert f'<div class="discussion-slot" id="discussion-slot-{passages[1].pk}"></div>' in html
    fragment = client.get(button.group(1).replace("&amp;", "&"), headers=htmx_headers).content.decode()
    assert fragment.lstrip().startswith('<section class="discussion-panel"')
    assert "Start a discussion" in fragment
