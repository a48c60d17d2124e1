"""The claims board and the reader's link-to-claim dialog."""

import pytest

from sources.models import Annotation, Claim, Evidence

from ..factories import AnnotationFactory, ClaimFactory, EvidenceFactory


def link_url(passage) -> str:
    return f"/p/class/passages/{passage.pk}/link/"


def test_the_board_groups_evidence_by_relation_and_links_back_to_the_passage(
    team, source, passages, themes, client_as
):
    claim = ClaimFactory(project=team.project, author=team.annotator, text="The SCO is a security club.")
    span = AnnotationFactory(
        passage=passages[1], theme=themes["terrorism"], author=team.annotator, start=28, end=37
    )
    EvidenceFactory(
        claim=claim, passage=passages[1], annotation=span, author=team.annotator, relation="supports"
    )
    EvidenceFactory(
        claim=claim, passage=passages[2], author=team.annotator2, relation="contradicts", note="Energy!"
    )
    EvidenceFactory(claim=claim, passage=passages[3], author=team.annotator2, relation="qualifies")
    html = client_as(team.observer).get("/p/class/claims/").content.decode()

    assert "The SCO is a security club." in html
    for count in ["1 supporting", "1 contradicting", "1 qualifying"]:
        assert count in html
    supports = html[
        html.index("relation-column relation-supports") : html.index("relation-column relation-contradicts")
    ]
    assert f'<mark class="hl lane-0 theme-{themes["terrorism"].pk}">terrorism</mark>' in supports
    assert f'href="/p/class/sources/{source.pk}/#passage-1"' in supports
    contradicts = html[
        html.index("relation-column relation-contradicts") : html.index("relation-column relation-qualifies")
    ]
    assert "Energy from Central Asia" in contradicts and "Energy!" in contradicts
    assert f'href="/p/class/sources/{source.pk}/#passage-2"' in contradicts


def test_an_annotator_adds_a_claim_and_gets_the_board_fragment(team, client_as, htmx_headers):
    response = client_as(team.annotator).post(
        "/p/class/claims/", {"text": "  Energy first.  "}, headers=htmx_headers
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="board"') and "<html" not in html
    assert "Energy first." in html and "Claim added." in html
    assert Claim.objects.get().text == "Energy first."


def test_an_empty_claim_is_refused(team, client_as, htmx_headers):
    response = client_as(team.annotator).post("/p/class/claims/", {"text": "   "}, headers=htmx_headers)
    assert response.status_code == 422
    assert not Claim.objects.exists()


def test_an_observer_cannot_add_claims_or_link_evidence(team, passages, client_as):
    client = client_as(team.observer)
    assert client.post("/p/class/claims/", {"text": "Mine"}).status_code == 403
    assert client.get(link_url(passages[1])).status_code == 403
    assert (
        client.post(
            link_url(passages[1]), {"claim": "new", "claim_text": "x", "relation": "supports"}
        ).status_code
        == 403
    )
    assert not Claim.objects.exists()


def test_the_link_dialog_preselects_the_callers_tag_on_the_selection_and_their_last_claim(
    team, passages, themes, client_as, htmx_headers
):
    passage = passages[1]
    theirs = AnnotationFactory(
        passage=passage, theme=themes["energy"], author=team.annotator2, start=28, end=37
    )
    mine = AnnotationFactory(
        passage=passage, theme=themes["terrorism"], author=team.annotator, start=28, end=37
    )
    older = ClaimFactory(project=team.project, author=team.annotator)
    ClaimFactory(project=team.project, author=team.annotator)
    EvidenceFactory(claim=older, passage=passages[2], author=team.annotator)
    response = client_as(team.annotator).get(f"{link_url(passage)}?start=28&end=37", headers=htmx_headers)
    html = response.content.decode()
    assert html.lstrip().startswith("<form") and "<html" not in html
    assert f'value="{mine.pk}" checked' in html
    assert f'value="{theirs.pk}" checked' not in html
    assert f'<option value="{older.pk}" selected>' in html
    assert 'value="new" checked' not in html  # the selection is already tagged


def test_linking_an_untagged_selection_tags_it_and_links_it_in_one_step(
    team, passages, themes, client_as, htmx_headers
):
    passage = passages[2]
    start = passage.text.index("pipelines")
    response = client_as(team.annotator).post(
        link_url(passage),
        {
            "evidence": "new",
            "theme": themes["energy"].pk,
            "start": start,
            "end": start + 9,
            "quote": "pipelines",
            "claim": "new",
            "claim_text": "Pipelines bind Central Asia to China.",
            "relation": "supports",
            "note": "",
        },
        headers=htmx_headers,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#passage-{passage.ordinal}"
    assert "evidence-linked" in response["HX-Trigger"]
    evidence = Evidence.objects.get()
    assert evidence.claim.text == "Pipelines bind Central Asia to China."
    assert (evidence.relation, evidence.annotation.quote, evidence.annotation.theme) == (
        "supports",
        "pipelines",
        themes["energy"],
    )
    assert "Pipelines bind Central Asia to China." in response.content.decode()


def test_a_refused_link_leaves_no_new_claim_or_tag_behind(team, passages, themes, client_as, htmx_headers):
    passage = passages[2]
    claim = ClaimFactory(project=team.project, author=team.annotator)
    EvidenceFactory(claim=claim, passage=passage, author=team.annotator, relation="supports")
    response = client_as(team.annotator).post(
        link_url(passage),
        {
            "evidence": "new",
            "theme": themes["energy"].pk,
            "start": 0,
            "end": 6,
            "claim": claim.pk,
            "relation": "supports",
        },
        headers=htmx_headers,
    )
    assert response.status_code == 409
    assert (
        "You already linked this passage to this claim as supporting evidence." in response.content.decode()
    )
    assert not Annotation.objects.exists()
    assert Evidence.objects.count() == 1


def test_a_link_without_a_claim_is_refused_with_the_form_again(team, passages, client_as, htmx_headers):
    response = client_as(team.annotator).post(
        link_url(passages[1]),
        {"evidence": "", "claim": "new", "claim_text": "", "relation": "supports"},
        headers=htmx_headers,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith("<form") and "Write the new claim" in html
    assert not Evidence.objects.exists()


def test_a_claim_of_another_project_cannot_be_linked(team, passages, client_as, htmx_headers):
    foreign = ClaimFactory(project=team.other_project, author=team.outsider)
    response = client_as(team.annotator).post(
        link_url(passages[1]),
        {"evidence": "", "claim": foreign.pk, "relation": "supports"},
        headers=htmx_headers,
    )
    assert response.status_code == 422
    assert not Evidence.objects.exists()


def test_without_script_the_link_form_is_a_page_and_redirects_to_the_passage(
    team, source, passages, client_as
):
    client = client_as(team.annotator)
    page = client.get(link_url(passages[1])).content.decode()
    assert "<html" in page and "Link passage 1 to a claim" in page
    response = client.post(
        link_url(passages[1]),
        {"evidence": "", "claim": "new", "claim_text": "A claim.", "relation": "qualifies"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/p/class/sources/{source.pk}/#passage-1"
    assert Evidence.objects.get().relation == "qualifies"


@pytest.mark.parametrize(("role", "status"), [("annotator2", 403), ("observer", 403), ("owner", 200)])
def test_only_the_author_or_a_lead_removes_evidence(team, passages, client_as, htmx_headers, role, status):
    claim = ClaimFactory(project=team.project, author=team.annotator)
    evidence = EvidenceFactory(claim=claim, passage=passages[1], author=team.annotator)
    response = client_as(team.user(role)).post(
        f"/p/class/evidence/{evidence.pk}/delete/", headers=htmx_headers
    )
    assert response.status_code == status
    assert Evidence.objects.filter(pk=evidence.pk).exists() == (status != 200)
