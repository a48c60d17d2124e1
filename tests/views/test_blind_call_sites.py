"""The pages that count or list a blind session's work each ask the visibility selector: a colleague's
unsubmitted work changes neither the search page's tag counts, nor the claims board, nor the evidence
in the reader, nor the dashboard's counts, until both the colleague and the reader have submitted.
Each test fails when its page's call of the selector is left out."""

import re

import pytest
from django.test import Client

from sources.models import Session
from sources.services.annotations import annotation_create
from sources.services.claims import claim_create
from sources.services.evidence_links import evidence_link_create
from sources.services.sessions import session_submit

from ..factories import SessionFactory

MARKER = "zqBLINDzq"


@pytest.fixture
def blind(team, source) -> Session:
    session = SessionFactory(project=team.project, name="Blind week", blind=True)
    session.sources.set([source])
    session.participants.set([team.annotator, team.annotator2])
    return session


def both_submit(team, session: Session) -> None:
    session_submit(session=session, user=team.annotator)
    session_submit(session=session, user=team.annotator2)


def html(client: Client, url: str, **query) -> str:
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_colleagues_blind_tags_do_not_count_on_the_search_page_until_both_submitted(
    team, passages, themes, blind, client_as
):
    annotation_create(passage=passages[1], theme=themes["energy"], author=team.annotator2, session=blind)
    reader = client_as(team.annotator)

    def count(user_client: Client) -> str:
        page = html(user_client, "/p/class/search/", q="terrorism")
        return re.search(r"· (\d+) tags?", page).group(1)

    def found_by_theme() -> bool:
        return "fight terrorism" in html(reader, "/p/class/search/", theme="energy")

    assert count(reader) == "0" and not found_by_theme()
    assert count(client_as(team.instructor)) == "1"
    session_submit(session=blind, user=team.annotator)
    assert count(reader) == "0"  # the colleague has not submitted
    session_submit(session=blind, user=team.annotator2)
    assert count(reader) == "1" and found_by_theme()


def test_a_colleagues_blind_evidence_stays_off_the_claims_board_until_both_submitted(
    team, passages, themes, blind, client_as
):
    public = claim_create(project=team.project, author=team.instructor, text="The SCO is about energy.")
    evidence_link_create(
        passage=passages[2],
        author=team.annotator2,
        relation="supports",
        claim=public,
        note=MARKER,
        session=blind,
    )
    reader = client_as(team.annotator)
    before = html(reader, "/p/class/claims/")
    assert "The SCO is about energy." in before
    assert MARKER not in before and "0 supporting" in before
    assert MARKER in html(client_as(team.instructor), "/p/class/claims/")
    both_submit(team, blind)
    after = html(reader, "/p/class/claims/")
    assert MARKER in after and "1 supporting" in after


def test_a_colleagues_blind_evidence_stays_out_of_the_reader_until_both_submitted(
    team, source, passages, themes, blind, client_as
):
    public = claim_create(project=team.project, author=team.instructor, text=f"Energy first {MARKER}")
    evidence_link_create(
        passage=passages[2], author=team.annotator2, relation="supports", claim=public, session=blind
    )
    reader = client_as(team.annotator)
    url = f"/p/class/sources/{source.pk}/"
    assert MARKER not in html(reader, url)
    assert MARKER not in html(reader, url, session=blind.pk)
    assert MARKER in html(client_as(team.observer), url)
    both_submit(team, blind)
    assert MARKER in html(reader, url) and MARKER in html(reader, url, session=blind.pk)


def test_a_colleagues_blind_work_does_not_count_on_the_dashboard_until_both_submitted(
    team, passages, themes, blind, client_as
):
    annotation_create(passage=passages[1], theme=themes["energy"], author=team.annotator2, session=blind)
    annotation_create(passage=passages[2], theme=themes["energy"], author=team.annotator2, session=blind)
    claim_create(project=team.project, author=team.annotator2, text="Energy first.", session=blind)
    reader = client_as(team.annotator)

    def counts(user_client: Client) -> tuple[str, str]:
        page = html(user_client, "/p/class/")
        tags = re.search(r"\d+ passages · (\d+) tags?", page).group(1)
        claims = re.search(r"<dt>Claims</dt><dd><a [^>]*>(\d+)</a>", page).group(1)
        return tags, claims

    assert counts(reader) == ("0", "0")
    assert counts(client_as(team.instructor)) == ("2", "1")
    both_submit(team, blind)
    assert counts(reader) == ("2", "1")
