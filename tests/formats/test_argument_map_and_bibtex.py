"""AIF argument maps of claims and evidence, and BibTeX of the sources."""

import json
import re

import pytest

from sources.formats.bibtex import escape
from sources.selectors.exports import ExportFilters
from sources.services.exports import export_stream

pytestmark = pytest.mark.django_db


def export(project, fmt: str, filters=None) -> bytes:
    return b"".join(export_stream(project=project, format=fmt, filters=filters).chunks)


def test_aif_has_i_nodes_for_claims_and_quotes_and_scheme_nodes_for_links(corpus):
    document = json.loads(export(corpus.project, "aif"))
    nodes = {n["nodeID"]: n for n in document["nodes"]}
    assert set(document) == {"nodes", "edges", "locutions", "participants"}
    kinds = [n["type"] for n in document["nodes"]]
    assert kinds.count("RA") == 3  # three supports
    assert kinds.count("CA") == 1  # one contradicts; the qualifies link has no AIF scheme
    claims = {c.text for c in corpus.claims}
    texts = {n["text"] for n in document["nodes"] if n["type"] == "I"}
    assert claims <= texts
    assert '"energy security" <matters>' in texts  # evidence resting on a span quotes the span
    for edge in document["edges"]:
        assert {"edgeID", "fromID", "toID"} <= set(edge)
        assert edge["fromID"] in nodes and edge["toID"] in nodes
    for scheme in (n for n in document["nodes"] if n["type"] in {"RA", "CA"}):
        incoming = [e for e in document["edges"] if e["toID"] == scheme["nodeID"]]
        outgoing = [e for e in document["edges"] if e["fromID"] == scheme["nodeID"]]
        assert len(incoming) == len(outgoing) == 1
        assert nodes[incoming[0]["fromID"]]["type"] == "I"
        assert nodes[outgoing[0]["toID"]]["text"] in claims
    contradiction = next(n for n in document["nodes"] if n["type"] == "CA")
    target = next(e["toID"] for e in document["edges"] if e["fromID"] == contradiction["nodeID"])
    assert nodes[target]["text"] == "The SCO is an alliance against the West."


def test_aif_is_deterministic_and_follows_filters(corpus):
    assert export(corpus.project, "aif") == export(corpus.project, "aif")
    approved = json.loads(export(corpus.project, "aif", ExportFilters(status="approved")))
    assert [n["type"] for n in approved["nodes"]].count("RA") == 1


def test_bibtex_has_one_entry_per_source_with_escaped_fields(corpus):
    corpus.english.citation = "Vestnik KazNU, 2019, 50% of issues & more_"
    corpus.english.save(update_fields=["citation"])
    text = export(corpus.project, "bib").decode("utf-8")
    entries = re.findall(r"@misc\{([^,]+),", text)
    assert len(entries) == 2 and len(set(entries)) == 2
    assert "serikkaliyeva2020chinese" in entries
    assert "author = {Serikkaliyeva A.E. and Amirbek A.A.}" in text
    assert r"note = {Vestnik KazNU, 2019, 50\% of issues \& more\_}" in text
    assert "title = {Китай и ШОС}" in text
    assert f"sha256 = {{{corpus.russian.sha256}}}" in text
    assert text.count("{") == text.count("}")


def test_bibtex_escapes_tex_specials():
    assert escape("a_b {c} ~ ^ \\") == r"a\_b \{c\} \textasciitilde{} \textasciicircum{} \textbackslash{}"
