"""The analysis counts keep blind sessions' rule (docs/sessions.md): a colleague's unsubmitted
blind-session tags change no count the reader gets, on the page or through the API, until both have
submitted. And every analysis view costs the same number of queries for a small corpus as for one
ten times larger."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sources.models import Annotation, Submission
from sources.selectors.visibility import visible_in, visible_to
from sources.services.claims import claim_create
from sources.services.evidence_links import evidence_link_create
from sources.services.sessions import session_submit

from ..factories import AnnotationFactory, SessionFactory, SourceFactory
from .conftest import Corpus

pytestmark = pytest.mark.django_db
VIEWS = ("matrix", "cooccurrence", "claims", "compare", "timeline")


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def counts_seen(user) -> dict:
    api = api_for(user)
    matrix = api.get("/api/projects/class/analysis/matrix/", {"status": "all"}).json()
    together = api.get("/api/projects/class/analysis/cooccurrence/", {"status": "all"}).json()
    days = api.get("/api/projects/class/analysis/timeline/", {"status": "all"}).json()
    compare = api.get(
        "/api/projects/class/analysis/compare/", {"status": "all", "by": "language", "a": "zh", "b": "kk"}
    )
    client = Client()
    client.force_login(user)
    csv = client.get("/p/class/analysis/matrix.csv", {"status": "all"}).content.decode("utf-8-sig")
    return {
        "matrix": matrix["counts"],
        "cooccurrence": together["counts"],
        "timeline": sum(map(sum, days["counts"])),
        "compare": [row["count_a"] for row in compare.json()["themes"]],
        "page": re.findall(r"\d+", csv),
    }


def test_a_colleagues_blind_tags_count_for_the_reader_only_once_both_submitted(corpus: Corpus) -> None:
    team = corpus.team
    blind = SessionFactory(project=team.project, name="Blind week", blind=True)
    blind.sources.set([corpus.chinese])
    blind.participants.set([team.annotator, team.annotator2])
    before = counts_seen(team.annotator)
    AnnotationFactory(passage=corpus.cn[3], theme=corpus.energy, author=team.annotator2, session=blind)
    assert counts_seen(team.annotator) == before
    assert counts_seen(team.instructor) != before  # the tag is there, and counts for a lead
    session_submit(session=blind, user=team.annotator)
    assert counts_seen(team.annotator) == before
    session_submit(session=blind, user=team.annotator2)
    after = counts_seen(team.annotator)
    assert after["matrix"][0][2] == before["matrix"][0][2] + 1
    assert after["timeline"] == before["timeline"] + 1 and after != before


def test_a_colleagues_blind_claim_and_evidence_stay_off_the_claim_map_until_both_submitted(
    corpus: Corpus,
) -> None:
    team = corpus.team
    blind = SessionFactory(project=team.project, name="Blind week", blind=True)
    blind.participants.set([team.annotator, team.annotator2])
    claim = claim_create(project=team.project, author=team.annotator2, text="zqHIDDENzq", session=blind)
    public = claim_create(project=team.project, author=team.instructor, text="Energy first.")
    evidence_link_create(
        passage=corpus.cn[1], author=team.annotator2, relation="supports", claim=public, session=blind
    )
    url = "/api/projects/class/analysis/claims/"
    seen = api_for(team.annotator).get(url, {"status": "all"}).json()
    assert [c["text"] for c in seen["claims"]] == ["Energy first."] and seen["edges"] == []
    assert len(api_for(team.observer).get(url, {"status": "all"}).json()["edges"]) == 1
    session_submit(session=blind, user=team.annotator)
    session_submit(session=blind, user=team.annotator2)
    seen = api_for(team.annotator).get(url, {"status": "all"}).json()
    assert {c["text"] for c in seen["claims"]} == {"Energy first.", claim.text} and len(seen["edges"]) == 1


def test_the_tags_an_annotator_counts_are_those_the_blind_rule_shows_them_in_every_state(
    corpus: Corpus,
) -> None:
    """The analysis excludes hidden tags by the ids of sessions, submitters and leads; for every
    reader and every state of two blind sessions (and an open one) it keeps exactly the tags the
    rule of `visible_to` keeps."""
    team = corpus.team
    first, second = (SessionFactory(project=team.project, blind=True) for _ in range(2))
    open_session = SessionFactory(project=team.project, blind=False)
    people = [team.annotator, team.annotator2, team.instructor, team.owner]
    for session in (first, second, open_session):
        session.sources.set([corpus.chinese])
        session.participants.set([team.annotator, team.annotator2])
        for n, author in enumerate(people):
            AnnotationFactory(passage=corpus.cn[n], theme=corpus.energy, author=author, session=session)
    tags = Annotation.objects.filter(passage__source__project=team.project)

    def agree() -> None:
        for reader in (team.annotator, team.annotator2, team.instructor, team.observer):
            kept = set(visible_in(reader, team.project, tags).values_list("pk", flat=True))
            assert kept == set(visible_to(reader, tags).values_list("pk", flat=True)), reader
        assert set(visible_in(team.annotator, team.project, tags)) < set(tags)

    agree()
    Submission.objects.create(session=first, user=team.annotator)
    agree()  # the reader submitted: the leads' answer key shows, the colleague's tags do not
    Submission.objects.create(session=first, user=team.annotator2)
    Submission.objects.create(session=second, user=team.annotator2)
    agree()


def grow(corpus: Corpus, times: int) -> None:
    """`times` more sources, each with tagged passages, sections, a claim and evidence."""
    team = corpus.team
    for n in range(times):
        source = SourceFactory(
            project=team.project, language=f"l{n % 3}", paragraphs=[f"Energy {n}.", f"Security {n}."]
        )
        passages = list(source.passages.all())
        source.passages.update(section=f"Part {n}")
        AnnotationFactory(passage=passages[0], theme=corpus.energy, author=team.annotator, status="approved")
        AnnotationFactory(
            passage=passages[1], theme=corpus.terrorism, author=team.annotator2, status="approved"
        )
        claim = claim_create(project=team.project, author=team.instructor, text=f"Claim {n}.")
        link = evidence_link_create(
            passage=passages[0], author=team.annotator, relation="qualifies", claim=claim
        )
        link.status = "approved"
        link.save()


def queries(ask) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = ask()
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def test_each_view_costs_the_same_queries_for_a_corpus_ten_times_larger(corpus: Corpus) -> None:
    api = api_for(corpus.team.annotator)
    client = Client()
    client.force_login(corpus.team.annotator)
    asks = {
        **{
            name: lambda name=name: api.get(
                f"/api/projects/class/analysis/{name}/", {"a": corpus.chinese.pk, "b": corpus.kazakh.pk}
            )
            for name in VIEWS
        },
        "page": lambda: client.get("/p/class/analysis/", {"rows": "section", "cell": "security,energy"}),
        "download": lambda: client.get("/p/class/analysis/claims.svg"),
    }
    grow(corpus, 2)
    small = {name: queries(ask) for name, ask in asks.items()}
    grow(corpus, 20)
    large = {name: queries(ask) for name, ask in asks.items()}
    assert small == large
    assert 0 < large["matrix"] <= 10 and 0 < large["page"] <= 40, large
