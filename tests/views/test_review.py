"""The review queue: leads approve or reject submitted tags and evidence links, one by one or in
bulk, each decision a Review; the annotator reads the decision and the comment in the reader."""

import re

import pytest

from sources.models import Annotation, AnnotationStatus, Evidence, Review

from ..factories import AnnotationFactory, ClaimFactory, EvidenceFactory
from .conftest import make_source
from .test_sessions import open_session, tag

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def session(team, source):
    return open_session(team, [source], blind=True)


@pytest.fixture
def submitted(team, passages, themes, session, client_as):
    """Both annotators tagged in the session and submitted: a span, a whole passage, a note."""
    span = tag(team.annotator, passages[1], themes["terrorism"], session, start=28, end=37)
    whole = tag(team.annotator, passages[2], themes["energy"], session)
    theirs = tag(team.annotator2, passages[2], themes["energy"], session)
    Annotation.objects.filter(pk=theirs.pk).update(note="Pipelines are energy policy.")
    for user in [team.annotator, team.annotator2]:
        client_as(user).post(f"/p/class/sessions/{session.pk}/submit/", {"confirm": "yes"})
    return {"span": span, "whole": whole, "theirs": theirs}


def queue(client, **params) -> str:
    response = client.get("/p/class/review/", params)
    assert response.status_code == 200
    return response.content.decode()


def listed(page: str) -> list[str]:
    return re.findall(r'<li id="review-(\w+-\d+)"', page)


def decide(client, target, decision, comment="", htmx=True, kind="annotation"):
    headers = {"HX-Request": "true"} if htmx else {}
    url = f"/p/class/review/{kind}/{target.pk}/"
    return client.post(url, {"decision": decision, "comment": comment}, headers=headers)


# Who may review


@pytest.mark.parametrize("role", ["owner", "instructor"])
def test_leads_open_the_review_queue(team, submitted, client_as, role):
    assert client_as(team.user(role)).get("/p/class/review/").status_code == 200


@pytest.mark.parametrize("role", ["annotator", "annotator2", "observer"])
def test_other_members_are_forbidden_the_queue_and_its_decisions(team, submitted, client_as, role):
    client = client_as(team.user(role))
    assert client.get("/p/class/review/").status_code == 403
    assert decide(client, submitted["span"], "approve").status_code == 403
    bulk = client.post(
        "/p/class/review/bulk/", {"decision": "approve", "items": [f"annotation:{submitted['span'].pk}"]}
    )
    assert bulk.status_code == 403
    assert not Review.objects.exists()
    assert "/p/class/review/" not in client.get("/p/class/").content.decode()


def test_an_outsider_gets_404(team, submitted, client_as):
    client = client_as(team.outsider)
    assert client.get("/p/class/review/").status_code == 404
    assert decide(client, submitted["span"], "approve").status_code == 404
    assert client.post("/p/class/review/bulk/", {"decision": "approve"}).status_code == 404


def test_a_lead_of_another_project_cannot_review_here_by_guessing_ids(team, submitted, client_as):
    # The outsider owns their own project; this project's annotation is not theirs to review.
    response = client_as(team.outsider).post(
        f"/p/elsewhere/review/annotation/{submitted['span'].pk}/", {"decision": "approve"}
    )
    assert response.status_code == 404
    assert not Review.objects.exists()


# The queue


def test_the_queue_lists_submitted_tags_with_the_passage_around_the_span(team, submitted, themes, client_as):
    draft = AnnotationFactory(
        passage=submitted["span"].passage, theme=themes["energy"], author=team.instructor
    )
    page = queue(client_as(team.instructor))
    assert listed(page) == [
        f"annotation-{submitted['span'].pk}",
        f"annotation-{submitted['whole'].pk}",
        f"annotation-{submitted['theirs'].pk}",
    ]
    assert f"annotation-{draft.pk}" not in listed(page)
    item = page[page.index(f'id="review-annotation-{submitted["span"].pk}"') :]
    mark = f'<mark class="hl lane-0 theme-{themes["terrorism"].pk}">terrorism</mark>'
    assert f"China uses the SCO to fight {mark}, separatism and extremism." in item
    assert "Pipelines are energy policy." in page
    assert '<span class="tag-scope">whole passage</span>' in page
    assert f"/p/class/sources/{submitted['span'].passage.source_id}/?session=" in page


def test_the_filters_narrow_the_queue(team, submitted, themes, session, source, client_as):
    client = client_as(team.owner)
    mine, whole, theirs = (f"annotation-{submitted[k].pk}" for k in ("span", "whole", "theirs"))
    assert listed(queue(client, annotator=team.annotator2.pk)) == [theirs]
    assert listed(queue(client, theme="terrorism")) == [mine]
    assert listed(queue(client, session=session.pk)) == [mine, whole, theirs]
    other = make_source(team.project, ["Heading", "Other text."], title="Other")
    assert listed(queue(client, source=other.pk)) == []
    assert listed(queue(client, source=source.pk)) == [mine, whole, theirs]
    decide(client, submitted["span"], "approve")
    assert listed(queue(client)) == [whole, theirs]
    assert listed(queue(client, status="approved")) == [mine]
    assert listed(queue(client, status="reviewed")) == [mine]
    # Malformed filters fall back to the defaults rather than failing.
    assert listed(queue(client, session="x", annotator="-1", status="nope", kind="nope")) == [whole, theirs]


def test_the_filters_answer_htmx_with_the_queue_alone(team, submitted, client_as, htmx_headers):
    response = client_as(team.owner).get("/p/class/review/", {"theme": "energy"}, headers=htmx_headers)
    html = response.content.decode().strip()
    assert html.startswith('<div id="queue"')
    assert len(listed(html)) == 2


def test_the_queue_pages_through_many_items(team, source, passages, themes, client_as):
    for n in range(45):
        AnnotationFactory(
            passage=passages[1 + n % 3],
            theme=themes["energy"],
            author=team.annotator,
            start=0,
            end=n + 1,
            status=AnnotationStatus.SUBMITTED,
        )
    client = client_as(team.owner)
    first = queue(client)
    assert len(listed(first)) == 40 and "page 1 of 2" in first
    second = queue(client, page=2)
    assert len(listed(second)) == 5 and "page 2 of 2" in second
    assert not set(listed(first)) & set(listed(second))


# Deciding


def test_approving_updates_the_item_in_place_and_records_a_review(team, submitted, client_as):
    response = decide(client_as(team.instructor), submitted["span"], "approve")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<li id="review-annotation-{submitted["span"].pk}"')
    assert '<span class="status status-approved">Approved</span>' in html
    assert "Last decision: <strong>approve</strong> by instructor" in html
    assert 'hx-swap-oob="innerHTML"' in html and "Approved the annotation by annotator." in html
    review = Review.objects.get()
    assert (review.annotation, review.reviewer, review.decision) == (
        submitted["span"],
        team.instructor,
        "approve",
    )
    submitted["span"].refresh_from_db()
    assert submitted["span"].status == AnnotationStatus.APPROVED


def test_rejecting_needs_a_comment_which_the_item_asks_for(team, submitted, client_as):
    client = client_as(team.instructor)
    refused = decide(client, submitted["whole"], "reject", comment="   ")
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "Say why when rejecting" in html and 'aria-invalid="true"' in html
    assert not Review.objects.exists()
    response = decide(client, submitted["whole"], "reject", comment="Pipelines are not named here.")
    assert response.status_code == 200
    assert "Rejected" in response.content.decode()
    submitted["whole"].refresh_from_db()
    assert submitted["whole"].status == AnnotationStatus.REJECTED


def test_without_script_a_decision_comes_back_to_the_queue_with_its_filters(team, submitted, client_as):
    client = client_as(team.owner)
    response = client.post(
        f"/p/class/review/annotation/{submitted['span'].pk}/?theme=terrorism&status=submitted",
        {"decision": "approve"},
    )
    assert response.status_code == 302 and response["Location"] == "/p/class/review/?theme=terrorism"
    assert "Approved the annotation." in client.get(response["Location"]).content.decode()
    unknown = decide(client, submitted["span"], "maybe", htmx=False)
    assert "Approve or reject." in client.get(unknown["Location"]).content.decode()


def test_the_annotator_reads_the_decision_and_the_comment_in_the_reader(
    team, source, submitted, session, client_as
):
    lead = client_as(team.instructor)
    decide(lead, submitted["span"], "approve", comment="Exactly the word.")
    decide(lead, submitted["whole"], "reject", comment="The passage is about security, not energy.")
    page = (
        client_as(team.annotator).get(f"/p/class/sources/{source.pk}/?session={session.pk}").content.decode()
    )
    span = page[page.index(f'id="annotation-{submitted["span"].pk}"') :]
    assert '<span class="status status-approved">Approved</span>' in span[:2000]
    assert "instructor (approved):</span> Exactly the word." in span[:2000]
    whole = page[page.index(f'id="annotation-{submitted["whole"].pk}"') :]
    assert '<span class="status status-rejected">Rejected</span>' in whole[:2000]
    assert "instructor (rejected):</span> The passage is about security, not energy." in whole[:2000]
    # The plain reader shows the same.
    assert (
        "The passage is about security, not energy."
        in client_as(team.annotator).get(f"/p/class/sources/{source.pk}/").content.decode()
    )


# Bulk


def test_bulk_approve_decides_every_ticked_item_and_re_renders_the_queue(
    team, submitted, client_as, htmx_headers
):
    keys = [f"annotation:{submitted[k].pk}" for k in ("span", "whole", "theirs")]
    response = client_as(team.owner).post(
        "/p/class/review/bulk/", {"decision": "approve", "items": keys}, headers=htmx_headers
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<div id="queue"')
    assert "Approved 3 items." in html
    assert listed(html) == []  # the queue shows what still waits
    assert Review.objects.filter(decision="approve", reviewer=team.owner).count() == 3
    assert set(Annotation.objects.values_list("status", flat=True)) == {AnnotationStatus.APPROVED}


def test_bulk_reject_without_a_comment_decides_nothing_and_keeps_the_selection(
    team, submitted, client_as, htmx_headers
):
    keys = [f"annotation:{submitted['span'].pk}", f"annotation:{submitted['theirs'].pk}"]
    response = client_as(team.owner).post(
        "/p/class/review/bulk/", {"decision": "reject", "items": keys}, headers=htmx_headers
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Say why when rejecting" in html
    for key in keys:
        assert re.search(rf'value="{key}" form="bulk-form" id="[^"]+"\s*checked', html), key
    assert not Review.objects.exists()
    response = client_as(team.owner).post(
        "/p/class/review/bulk/",
        {"decision": "reject", "items": keys, "comment": "Spans too short."},
        headers=htmx_headers,
    )
    assert response.status_code == 200
    assert Review.objects.filter(decision="reject", comment="Spans too short.").count() == 2


def test_bulk_ignores_items_of_other_projects_and_needs_one_item(team, submitted, client_as, htmx_headers):
    elsewhere = AnnotationFactory(status=AnnotationStatus.SUBMITTED)  # in a project of its own
    client = client_as(team.owner)
    response = client.post(
        "/p/class/review/bulk/",
        {"decision": "approve", "items": [f"annotation:{elsewhere.pk}", "nonsense", "evidence:x"]},
        headers=htmx_headers,
    )
    assert response.status_code == 422
    assert "Tick at least one item first." in response.content.decode()
    assert not Review.objects.exists()
    response = client.post(
        "/p/class/review/bulk/?theme=energy",
        {"decision": "approve", "items": [f"annotation:{submitted['span'].pk}"]},
    )
    assert response["Location"] == "/p/class/review/?theme=energy"
    assert Review.objects.count() == 1


# Evidence links


def test_evidence_links_are_reviewed_the_same_way(team, passages, submitted, client_as):
    claim = ClaimFactory(project=team.project, author=team.annotator, text="China fights the three evils.")
    link = EvidenceFactory(
        claim=claim, passage=passages[1], author=team.annotator, annotation=submitted["span"]
    )
    client = client_as(team.instructor)
    page = queue(client, kind="evidence")
    assert listed(page) == [f"evidence-{link.pk}"]
    assert "“China fights the three evils.”" in page
    assert '<mark class="hl lane-0' in page and ">terrorism</mark>" in page
    refused = decide(client, link, "reject", kind="evidence")
    assert refused.status_code == 422
    response = decide(client, link, "approve", kind="evidence")
    assert response.status_code == 200
    link.refresh_from_db()
    assert link.status == AnnotationStatus.APPROVED
    assert Review.objects.get().evidence == link
    assert listed(queue(client, kind="evidence")) == []
    bulk = client.post(
        "/p/class/review/bulk/",
        {"decision": "reject", "comment": "Not this claim.", "items": [f"evidence:{link.pk}"]},
        headers={"HX-Request": "true"},
    )
    assert bulk.status_code == 200
    assert Evidence.objects.get().status == AnnotationStatus.REJECTED


# Security


def test_the_queue_escapes_user_text_and_keeps_the_csp(team, passages, themes, session, submitted, client_as):
    Annotation.objects.filter(pk=submitted["whole"].pk).update(note=f"Note {SCRIPT}")
    team.annotator.first_name = "<b>Eve</b>"
    team.annotator.save()
    client = client_as(team.owner)
    decide(client, submitted["span"], "reject", comment=f"Because {SCRIPT}")
    for url in ["/p/class/review/", "/p/class/review/?status=rejected"]:
        response = client.get(url)
        html = response.content.decode()
        assert SCRIPT not in html and "<b>Eve</b>" not in html
        assert "&lt;script&gt;" in html
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert not re.search(r"\sstyle=", html) and not re.search(r"\son[a-z]+=", html)
        assert '<script type="module" src="/static/js/review.js"></script>' in html
        for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, flags=re.S):
            assert 'name="csrfmiddlewaretoken"' in form
    reader = client_as(team.annotator).get(f"/p/class/sources/{passages[1].source_id}/").content.decode()
    assert SCRIPT not in reader and "Because &lt;script&gt;" in reader
