"""The history page: every change with who and when, a readable before -> after, and restoring a
version (owners and instructors), deletions of tags and claims included."""

import re

import pytest

from sources.models import Annotation, Claim, Evidence, Session, Submission
from sources.selectors.history import history_records
from sources.services.annotations import annotation_create, annotation_delete, annotation_update
from sources.services.claims import claim_create, claim_delete, claim_update, evidence_create

from ..factories import SessionFactory

SCRIPT = "<script>alert(1)</script>"
# Budget, measured: session and user, membership, the history rows (with their users), the project of
# the object, the codebook, one query per kind of thing named (themes, users, passages and, for a
# session's tag, sessions), the discussions with their comments, and for an annotator looking at a
# session's tag, whether it is hidden in a blind session.
HISTORY_QUERIES = 13


@pytest.fixture
def tag(team, passages, themes) -> Annotation:
    start = passages[1].text.index("terrorism")
    annotation = annotation_create(
        passage=passages[1],
        theme=themes["terrorism"],
        author=team.annotator,
        start=start,
        end=start + 9,
        note="first",
    )
    annotation_update(annotation=annotation, note=f"second {SCRIPT}", editor=team.annotator)
    return Annotation.objects.get(pk=annotation.pk)


def history_of(model: str, pk: int) -> str:
    return f"/p/class/history/?model={model}&id={pk}"


def entry_ids(html: str) -> list[str]:
    return re.findall(r'<li class="entry action-\w+" id="entry-([\w-]+)">', html)


def test_every_entry_names_who_and_when_newest_first(team, tag, client_as):
    annotation_delete(annotation=tag)
    html = client_as(team.observer).get(history_of("annotation", tag.pk)).content.decode()
    records = history_records("annotation", tag.pk)
    assert entry_ids(html) == [f"annotation-{r.history_id}" for r in records]
    actions = re.findall(r'<span class="action-badge action-\w+">(\w+)</span>', html)
    assert actions == ["deleted", "changed", "created"]
    whos = re.findall(r'<span class="entry-who">by <strong>(.*?)</strong></span>', html)
    whens = re.findall(r'<time class="entry-when" datetime="([^"]+)">', html)
    assert whos == ["annotator"] * 3 and len(whens) == 3 and all(whens)
    assert re.search(
        r'<del>first</del> <span class="arrow" aria-label="changed to">→</span> <ins>second &lt;script&gt;',
        html,
    )
    assert SCRIPT not in html
    assert "<ins>Terrorism</ins>" in html and f"<ins>characters {tag.start} to {tag.end}</ins>" in html


def test_a_deleted_annotation_is_restored_from_the_history_page(team, tag, client_as, htmx_headers):
    annotation_delete(annotation=tag)
    client = client_as(team.instructor)
    html = client.get(history_of("annotation", tag.pk)).content.decode()
    assert "Undo this deletion…" in html and '<span class="status status-rejected">deleted</span>' in html
    deleted_entry = entry_ids(html)[0]
    response = client.post(f"/p/class/history/{deleted_entry}/restore/", headers=htmx_headers)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<div id="history-entries"')
    assert "Restored the tag as it was on" in fragment
    assert '<div class="page-head" id="history-subject" hx-swap-oob="true">' in fragment
    assert "status-rejected" not in fragment  # no longer marked deleted
    restored = Annotation.objects.get(pk=tag.pk)
    assert (restored.quote, restored.note, restored.author) == (
        "terrorism",
        f"second {SCRIPT}",
        team.annotator,
    )
    actions = re.findall(r'<span class="action-badge action-\w+">(\w+)</span>', fragment)
    assert actions == ["restored", "deleted", "changed", "created"]
    assert re.search(r'<span class="entry-who">by <strong>instructor</strong></span>', fragment)


def test_restoring_an_older_version_reverts_a_change(team, tag, client_as):
    client = client_as(team.owner)
    created = entry_ids(client.get(history_of("annotation", tag.pk)).content.decode())[-1]
    response = client.post(f"/p/class/history/{created}/restore/")
    assert response.status_code == 302 and response["Location"] == history_of("annotation", tag.pk)
    assert Annotation.objects.get(pk=tag.pk).note == "first"
    follow = client.get(response["Location"]).content.decode()
    assert "Restored the tag as it was on" in follow


def test_a_deleted_claim_comes_back_with_its_evidence_and_its_history(team, passages, client_as):
    claim = claim_create(project=team.project, author=team.annotator, text="The SCO is about security first.")
    claim_update(claim=claim, text="The SCO is about security, first of all.")
    evidence = evidence_create(claim=claim, passage=passages[1], relation="supports", author=team.annotator)
    claim_delete(claim=Claim.objects.get(pk=claim.pk))
    client = client_as(team.instructor)
    html = client.get(history_of("claim", claim.pk)).content.decode()
    assert "evidence links deleted with the claim come back too" in html
    response = client.post(f"/p/class/history/{entry_ids(html)[0]}/restore/")
    assert response.status_code == 302
    assert Claim.objects.get(pk=claim.pk).text == "The SCO is about security, first of all."
    assert Evidence.objects.get(pk=evidence.pk).claim_id == claim.pk
    after = client.get(history_of("claim", claim.pk)).content.decode()
    assert re.findall(r'<span class="action-badge action-\w+">(\w+)</span>', after) == [
        "restored",
        "deleted",
        "changed",
        "created",
    ]
    assert "Evidence links deleted with it are back too." in after
    board = client.get("/p/class/claims/").content.decode()
    assert f'href="{history_of("claim", claim.pk).replace("&", "&amp;")}"' in board


def test_restoring_over_an_identical_annotation_says_why_not(
    team, tag, themes, passages, client_as, htmx_headers
):
    annotation_delete(annotation=tag)
    again = annotation_create(
        passage=passages[1], theme=themes["terrorism"], author=team.annotator, start=tag.start, end=tag.end
    )
    client = client_as(team.instructor)
    deleted_entry = entry_ids(client.get(history_of("annotation", tag.pk)).content.decode())[0]
    response = client.post(f"/p/class/history/{deleted_entry}/restore/", headers=htmx_headers)
    assert response.status_code == 409
    assert (
        "Not restored: An identical tag exists now: annotator tagged this span with Terrorism."
        in response.content.decode()
    )
    assert str(again.pk) not in response.content.decode().split("Not restored")[1][:120]
    assert response["HX-Retarget"] == "#flash"
    plain = client.post(f"/p/class/history/{deleted_entry}/restore/", follow=True)
    assert "Not restored: An identical tag exists now" in plain.content.decode()
    assert not Annotation.objects.filter(pk=tag.pk).exists()


@pytest.mark.parametrize("role", ["annotator2", "observer"])
def test_colleagues_and_observers_read_history_but_do_not_restore(team, tag, client_as, role):
    annotation_delete(annotation=tag)
    client = client_as(team.user(role))
    html = client.get(history_of("annotation", tag.pk)).content.decode()
    assert "entry-who" in html and "restore-form" not in html and "Undo this deletion" not in html
    assert client.post(f"/p/class/history/{entry_ids(html)[0]}/restore/").status_code == 403
    assert not Annotation.objects.filter(pk=tag.pk).exists()


def test_outsiders_and_other_projects_history_get_404(team, tag, client_as):
    entry = f"annotation-{history_records('annotation', tag.pk)[0].history_id}"
    outsider = client_as(team.outsider)
    assert outsider.get(history_of("annotation", tag.pk)).status_code == 404
    assert outsider.post(f"/p/class/history/{entry}/restore/").status_code == 404
    assert outsider.post(f"/p/elsewhere/history/{entry}/restore/").status_code == 404
    owner = client_as(team.owner)
    assert owner.get(history_of("passage", 1)).status_code == 404
    assert owner.get(history_of("annotation", 999999)).status_code == 404
    assert owner.get("/p/class/history/?model=annotation&id=abc").status_code == 404
    assert owner.post("/p/class/history/claim-abc/restore/").status_code == 404


def test_a_colleagues_tag_in_an_unsubmitted_blind_session_has_no_visible_history(
    team, source, passages, themes, client_as
):
    session = SessionFactory(project=team.project, blind=True)
    session.sources.set([source])
    session.participants.set([team.annotator, team.annotator2])
    hidden = annotation_create(
        passage=passages[2], theme=themes["energy"], author=team.annotator2, session=session
    )
    assert client_as(team.annotator).get(history_of("annotation", hidden.pk)).status_code == 404
    assert client_as(team.annotator2).get(history_of("annotation", hidden.pk)).status_code == 200
    assert client_as(team.instructor).get(history_of("annotation", hidden.pk)).status_code == 200
    Submission.objects.create(session=session, user=team.annotator)
    assert client_as(team.annotator).get(history_of("annotation", hidden.pk)).status_code == 404
    Submission.objects.create(session=session, user=team.annotator2)
    assert client_as(team.annotator).get(history_of("annotation", hidden.pk)).status_code == 200
    assert Session.objects.filter(pk=session.pk).exists()


def test_leads_find_what_was_deleted_lately(team, tag, passages, client_as):
    claim = claim_create(project=team.project, author=team.annotator2, text=f"Gone claim {SCRIPT}")
    claim_delete(claim=claim)
    annotation_delete(annotation=tag)
    html = client_as(team.instructor).get("/p/class/history/").content.decode()
    assert "Recently deleted" in html
    assert f'?model=annotation&amp;id={tag.pk}"' in html and f'?model=claim&amp;id={claim.pk}"' in html
    assert "Gone claim &lt;script&gt;" in html and SCRIPT not in html
    # Annotators see their own deleted work (which they may restore), not their colleagues'.
    mine = client_as(team.annotator).get("/p/class/history/").content.decode()
    assert f'?model=annotation&amp;id={tag.pk}"' in mine and f'?model=claim&amp;id={claim.pk}"' not in mine
    assert "Recently deleted" not in client_as(team.observer).get("/p/class/history/").content.decode()


def test_the_reader_links_each_tag_to_its_history_for_instructors(team, source, tag, client_as):
    link = f'href="{history_of("annotation", tag.pk).replace("&", "&amp;")}"'
    assert link in client_as(team.instructor).get(f"/p/class/sources/{source.pk}/").content.decode()
    assert link not in client_as(team.annotator).get(f"/p/class/sources/{source.pk}/").content.decode()


def test_the_page_costs_the_same_for_a_short_or_a_long_history(
    team, tag, client_as, django_assert_max_num_queries
):
    client = client_as(team.annotator)
    with django_assert_max_num_queries(HISTORY_QUERIES):
        assert client.get(history_of("annotation", tag.pk)).status_code == 200
    for n in range(40):
        tag = annotation_update(
            annotation=Annotation.objects.get(pk=tag.pk), note=f"note {n}", editor=team.instructor
        )
    annotation_delete(annotation=tag)
    with django_assert_max_num_queries(HISTORY_QUERIES):
        html = client.get(history_of("annotation", tag.pk)).content.decode()
    assert len(entry_ids(html)) == 43
    lead = client_as(team.instructor)
    with django_assert_max_num_queries(HISTORY_QUERIES):
        assert lead.get("/p/class/history/").status_code == 200


def test_a_colleagues_session_tag_costs_the_same_for_a_short_or_a_long_history(
    team, source, passages, themes, client_as, django_assert_max_num_queries
):
    session = SessionFactory(project=team.project)
    session.sources.set([source])
    session.participants.set([team.annotator, team.annotator2])
    theirs = annotation_create(
        passage=passages[2], theme=themes["energy"], author=team.annotator2, session=session
    )
    client = client_as(team.annotator)
    with django_assert_max_num_queries(HISTORY_QUERIES):
        assert client.get(history_of("annotation", theirs.pk)).status_code == 200
    for n in range(30):
        theirs = annotation_update(annotation=theirs, note=f"note {n}", editor=team.annotator2)
    with django_assert_max_num_queries(HISTORY_QUERIES):
        html = client.get(history_of("annotation", theirs.pk)).content.decode()
    assert len(entry_ids(html)) == 31


def test_the_pages_carry_a_strict_csp_and_no_inline_script_or_style(team, tag, source, client_as):
    from sources.services.discussions import discussion_start

    session = SessionFactory(project=team.project, answer_key_author=team.instructor)
    session.participants.set([team.annotator])
    discussion_start(passage=tag.passage, theme=tag.theme, started_by=team.annotator, text=f"Why? {SCRIPT}")
    client = client_as(team.instructor)
    for url in [
        f"/p/class/sessions/{session.pk}/feedback/",
        f"/p/class/sessions/{session.pk}/grades/",
        history_of("annotation", tag.pk),
        "/p/class/history/",
        f"/p/class/discussions/?passage={tag.passage_id}&theme={tag.theme_id}",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
        html = response.content.decode()
        assert " style=" not in html and SCRIPT not in html, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url


def test_evidence_and_theme_histories_read_in_words(team, passages, themes, client_as):
    from sources.services.claims import evidence_update
    from sources.services.codebook import theme_update

    claim = claim_create(project=team.project, author=team.annotator, text="Energy drives the SCO.")
    evidence = evidence_create(claim=claim, passage=passages[2], relation="supports", author=team.annotator)
    evidence_update(evidence=evidence, relation="qualifies", note="Only partly.")
    theme_update(theme=themes["energy"], name="Energy security", color="#123456")
    client = client_as(team.owner)
    html = client.get(history_of("evidence", evidence.pk)).content.decode()
    assert "Qualifies evidence for “Energy drives the SCO.”" in html
    assert re.search(
        r'<del>Supports</del> <span class="arrow" aria-label="changed to">→</span> <ins>Qualifies</ins>', html
    )
    assert f"passage 2 of “{passages[2].source.title}”" in html
    html = client.get(history_of("theme", themes["energy"].pk)).content.decode()
    assert "Theme Energy security" in html
    assert re.search(
        r'<del>Energy</del> <span class="arrow" aria-label="changed to">→</span> <ins>Energy security</ins>',
        html,
    )
    assert "<del>#2f855a</del>" in html


def test_an_annotator_sees_and_restores_their_own_deleted_tag_but_not_a_colleagues(
    team, passages, themes, client_as
):
    passage = passages[1]
    theme = themes["energy"]
    own = annotation_create(passage=passage, theme=theme, author=team.annotator, start=0, end=5)
    theirs = annotation_create(passage=passage, theme=theme, author=team.annotator2)
    own_id, theirs_id = own.pk, theirs.pk
    annotation_delete(annotation=own, editor=team.annotator)
    annotation_delete(annotation=theirs, editor=team.annotator2)
    client = client_as(team.annotator)

    listing = client.get("/p/class/history/").content.decode()
    assert f"model=annotation&amp;id={own_id}" in listing
    assert f"model=annotation&amp;id={theirs_id}" not in listing
    deleted = Annotation.history.get(id=own_id, history_type="-").history_id
    response = client.post(f"/p/class/history/annotation-{deleted}/restore/")
    assert response.status_code == 302
    assert Annotation.objects.filter(pk=own_id, author=team.annotator).exists()

    colleagues = Annotation.history.get(id=theirs_id, history_type="-").history_id
    assert client.post(f"/p/class/history/annotation-{colleagues}/restore/").status_code == 403
    assert not Annotation.objects.filter(pk=theirs_id).exists()
