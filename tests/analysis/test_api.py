"""The analysis endpoints answer the shapes docs/analysis.md promises, with the corpus's numbers
(tests/analysis/conftest.py), and name bad filters in a 400."""

import pytest
from rest_framework.test import APIClient

from sources.services.claims import claim_create
from sources.services.evidence_links import evidence_link_create

from .conftest import Corpus

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_matrix_answers_source_ids_labels_theme_slugs_and_counts(corpus: Corpus) -> None:
    body = api_for(corpus.team.observer).get("/api/projects/class/analysis/matrix/").json()
    assert body["status"] == "approved"
    assert body["rows"] == [corpus.chinese.pk, corpus.kazakh.pk]
    assert body["row_labels"] == ["Chinese view", "Kazakh view"]
    assert body["themes"] == ["security", "terrorism", "energy", "expansion"]
    assert body["counts"] == [[2, 1, 2, 0], [1, 1, 1, 0]]
    sections = api_for(corpus.team.observer).get("/api/projects/class/analysis/matrix/", {"by": "section"})
    assert sections.json()["rows"] == [[corpus.chinese.pk, ""], [corpus.kazakh.pk, ""]]


def test_cooccurrence_answers_counts_and_jaccard(corpus: Corpus) -> None:
    body = api_for(corpus.team.annotator).get("/api/projects/class/analysis/cooccurrence/", {"status": "all"})
    assert body.json()["themes"] == ["security", "terrorism", "energy", "expansion"]
    assert body.json()["counts"][3][3] == 2  # the submitted and the draft expansion tags
    assert body.json()["jaccard"][0][1] == pytest.approx(2 / 3, abs=1e-4)


def test_the_claim_map_and_the_timeline(corpus: Corpus) -> None:
    claim = claim_create(
        project=corpus.team.project, author=corpus.team.instructor, text="Energy binds them."
    )
    for passage, relation in (
        (corpus.cn[1], "supports"),
        (corpus.kz[0], "contradicts"),
        (corpus.kz[1], "supports"),
    ):
        evidence_link_create(passage=passage, author=corpus.team.annotator, relation=relation, claim=claim)
    api = api_for(corpus.team.annotator)
    drafts = api.get("/api/projects/class/analysis/claims/", {"status": "draft"}).json()
    assert drafts["claims"] == [{"id": claim.pk, "text": "Energy binds them.", "links": 3}]
    assert drafts["edges"] == [
        {"claim": claim.pk, "source": corpus.chinese.pk, "relation": "supports", "links": 1},
        {"claim": claim.pk, "source": corpus.kazakh.pk, "relation": "contradicts", "links": 1},
        {"claim": claim.pk, "source": corpus.kazakh.pk, "relation": "supports", "links": 1},
    ]
    assert api.get("/api/projects/class/analysis/claims/").json()["edges"] == []  # none approved
    days = api.get("/api/projects/class/analysis/timeline/", {"annotator": corpus.team.annotator.pk}).json()
    assert days["annotators"] == ["annotator"] and sum(days["counts"][0]) == 4  # approved ones
    assert len(days["days"]) == 1


@pytest.mark.parametrize(
    ("view", "query", "field"),
    [
        ("matrix", {"status": "finished"}, "status"),
        ("matrix", {"by": "colour"}, "by"),
        ("cooccurrence", {"theme": "unknown"}, "theme"),
        ("claims", {"session": "12x"}, "session"),
        ("timeline", {"annotator": "999999"}, "annotator"),
        ("compare", {"by": "language", "a": "zh"}, "b"),
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(
    corpus: Corpus, view: str, query: dict, field: str
) -> None:
    response = api_for(corpus.team.annotator).get(f"/api/projects/class/analysis/{view}/", query)
    assert response.status_code == 400
    assert field in response.json()


def test_the_endpoints_are_in_the_openapi_schema(corpus: Corpus) -> None:
    schema = api_for(corpus.team.annotator).get("/api/schema/", {"format": "json"}).json()
    for view in ("matrix", "cooccurrence", "claims", "compare", "timeline"):
        operation = schema["paths"][f"/api/projects/{{slug}}/analysis/{view}/"]["get"]
        assert {p["name"] for p in operation["parameters"]} >= {
            "status",
            "session",
            "annotator",
            "source",
            "theme",
        }
