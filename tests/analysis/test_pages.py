"""The analysis page and its downloads, as a member reads them: the numbers in the tables are those
of the corpus (tests/analysis/conftest.py), the charts are SVG with a title and the same numbers, and
bad filters are named in a 400."""

import csv
import io
import re
from xml.etree import ElementTree

import pytest
from django.test import Client

from sources.services.claims import claim_create
from sources.services.evidence_links import evidence_link_create

from .conftest import Corpus

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def table_rows(html: str, name: str) -> list[list[str]]:
    table = re.search(rf'<table class="table" data-table="{name}">(.*?)</table>', html, re.S).group(1)
    body = table.split("<tbody>")[1]
    return [
        re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.mark.parametrize("role", ["owner", "instructor", "annotator", "observer"])
def test_every_member_sees_the_matrix_and_the_cooccurrence_of_the_corpus(corpus: Corpus, role: str) -> None:
    response = client_for(corpus.team.user(role)).get("/p/class/analysis/")
    assert response.status_code == 200
    html = response.content.decode()
    assert table_rows(html, "matrix") == [
        ["Chinese view", "4", "2", "1", "2", "0"],
        ["Kazakh view", "3", "1", "1", "1", "0"],
    ]
    cooccurrence = {(row[0], row[1]): row[2:] for row in table_rows(html, "cooccurrence")}
    assert cooccurrence[("Security", "Terrorism")] == ["2", "0.6667"]
    assert cooccurrence[("Expansion", "Expansion")] == ["0", "n/a"]
    assert 'href="/p/class/analysis/"' in html  # the project navigation links the page


def test_the_page_compares_two_languages_and_says_so_in_plain_words(corpus: Corpus) -> None:
    html = client_for(corpus.team.observer).get("/p/class/analysis/").content.decode()
    rows = {row[0]: row[1:] for row in table_rows(html, "compare")}
    assert rows["Energy"][:2] == ["1", "0.3333"]  # kk (Kazakh) first: languages in order
    assert rows["Energy"][4:6] == ["2", "0.5"]
    assert "No theme&#x27;s share differs more than chance would explain" in html


def test_a_cell_link_lists_the_passages_behind_it(corpus: Corpus) -> None:
    client = client_for(corpus.team.annotator)
    html = client.get("/p/class/analysis/").content.decode()
    assert "/p/class/analysis/?cell=security%2Cenergy#passages" in html
    behind = client.get("/p/class/analysis/", {"cell": "security,energy"}).content.decode()
    assert "Security and energy go together for Beijing." in behind
    assert f"/p/class/sources/{corpus.chinese.pk}/#passage-2" in behind
    assert "Energy pipelines" not in behind


def test_the_claim_map_draws_an_edge_per_claim_source_and_relation(corpus: Corpus) -> None:
    claim = claim_create(
        project=corpus.team.project, author=corpus.team.instructor, text="Energy binds them."
    )
    for passage in (corpus.cn[1], corpus.cn[2]):
        link = evidence_link_create(
            passage=passage, author=corpus.team.annotator, relation="supports", claim=claim
        )
        link.status = "approved"
        link.save()
    claim_create(project=corpus.team.project, author=corpus.team.instructor, text="Trade comes first.")
    svg = client_for(corpus.team.observer).get("/p/class/analysis/claims.svg").content.decode()
    tree = ElementTree.fromstring(svg.split("?>", 1)[1])
    assert tree.find(f"{SVG}title").text.startswith("Claims and the sources")
    edges = tree.findall(f".//{SVG}path")
    assert [edge.find(f"{SVG}title").text for edge in edges] == [
        "2 passages of \u201cChinese view\u201d supports \u201cEnergy binds them.\u201d"
    ]
    assert "Trade comes first." in svg  # a claim without evidence is still a node


def test_each_chart_downloads_as_svg_and_csv_with_the_filters_of_the_page(corpus: Corpus) -> None:
    client = client_for(corpus.team.annotator)
    for chart in ("matrix", "cooccurrence", "compare", "timeline"):
        svg = client.get(f"/p/class/analysis/{chart}.svg", {"status": "all"})
        assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
        ElementTree.fromstring(svg.content.decode().split("?>", 1)[1])  # well-formed
        assert f'filename="class-{chart}.svg"' in svg["Content-Disposition"]
    table = client.get("/p/class/analysis/matrix.csv", {"status": "all", "theme": "security"})
    rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert rows == [
        ["source", "passages", "security", "terrorism"],
        ["Chinese view", "4", "2", "1"],
        ["Kazakh view", "3", "1", "1"],
    ]
    timeline = client.get("/p/class/analysis/timeline.csv", {"status": "all"}).content.decode("utf-8-sig")
    assert sum(int(row[2]) for row in list(csv.reader(io.StringIO(timeline)))[1:]) == 9


def test_bad_filters_are_named_in_a_400_and_unknown_charts_are_404(corpus: Corpus) -> None:
    client = client_for(corpus.team.annotator)
    page = client.get("/p/class/analysis/", {"status": "maybe", "theme": "nope"})
    assert page.status_code == 400
    assert "&#x27;maybe&#x27; is not a status" in page.content.decode()
    assert client.get("/p/class/analysis/", {"theme": "nope"}).status_code == 400
    assert client.get("/p/class/analysis/", {"by": "author", "a": "Li W.", "b": "Li W."}).status_code == 400
    download = client.get("/p/class/analysis/matrix.csv", {"source": "abc"})
    assert download.status_code == 400 and b"source" in download.content
    assert client.get("/p/class/analysis/pie.svg").status_code == 404
    assert client.get("/p/class/analysis/matrix.pdf").status_code == 404


def test_outsiders_get_404(corpus: Corpus) -> None:
    assert client_for(corpus.team.outsider).get("/p/class/analysis/").status_code == 404
    assert client_for(corpus.team.outsider).get("/p/class/analysis/matrix.csv").status_code == 404


def test_a_long_table_shows_its_first_rows_on_the_page_and_all_of_them_in_its_csv(
    corpus: Corpus, monkeypatch
) -> None:
    monkeypatch.setattr("sources.views.analysis_figures.TABLE_ROWS", 3)
    client = client_for(corpus.team.annotator)
    html = client.get("/p/class/analysis/", {"status": "all"}).content.decode()
    assert len(table_rows(html, "cooccurrence")) == 3
    assert "The first 3 rows of 10; the CSV has them all." in html
    assert len(table_rows(html, "matrix")) == 2 and "rows of 2;" not in html
    together = client.get("/p/class/analysis/cooccurrence.csv", {"status": "all"}).content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(together)))) == 1 + 10
