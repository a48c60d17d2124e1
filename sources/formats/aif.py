"""Argument Interchange Format (AIF) as AIFdb's JSON: the claims and the passages quoted as their
evidence as an argument map.

    {"nodes": [{"nodeID": "1", "text": "...", "type": "I", "timestamp": "2026-03-01 10:00:00"}, ...],
     "edges": [{"edgeID": "1", "fromID": "2", "toID": "3", "formEdgeID": null}, ...],
     "locutions": [], "participants": [{"participantID": "1", "firstname": "annotator", "surname": ""}]}

Claims and quoted passages are I-nodes (information); a `supports` link is an RA-node (rule of
inference application, "Default Inference") with an edge from the passage to it and one from it to
the claim; a `contradicts` link a CA-node ("Default Conflict") wired the same way. AIF has no scheme
for `qualifies` (a limit on a claim's scope), so those links are left out. A passage quoted through
an annotation's span is that span's text, otherwise the passage's. Node ids are numbers in the
export's stable order, so the same data gives the same file."""

import json
from collections.abc import Iterator

from .records import Dataset, EvidenceRecord, PassageBundle

SCHEMES = {"supports": ("RA", "Default Inference"), "contradicts": ("CA", "Default Conflict")}


def _timestamp(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _quote(bundle: PassageBundle, evidence: EvidenceRecord) -> str:
    if evidence.annotation is not None and evidence.annotation[2] is not None:
        _, _, start, end, _ = evidence.annotation
        return bundle.passage.text[start:end]
    return bundle.passage.text


def export_aif(dataset: Dataset) -> Iterator[bytes]:
    nodes: list[dict] = []
    edges: list[dict] = []
    claim_nodes: dict[tuple, str] = {}
    quote_nodes: dict[tuple, str] = {}

    def node(text: str, kind: str, moment=None) -> str:
        node_id = str(len(nodes) + 1)
        entry = {"nodeID": node_id, "text": text, "type": kind}
        if moment is not None:
            entry["timestamp"] = _timestamp(moment)
        nodes.append(entry)
        return node_id

    def edge(source: str, target: str) -> None:
        edges.append({"edgeID": str(len(edges) + 1), "fromID": source, "toID": target, "formEdgeID": None})

    for claim in dataset.claims:
        claim_nodes[claim.key] = node(claim.text, "I", claim.created)
    participants = sorted({c.author for c in dataset.claims})
    for bundle in dataset.bundles:
        for evidence in bundle.evidence:
            if evidence.relation not in SCHEMES:
                continue
            participants.append(evidence.author)
            claim_id = claim_nodes.get(evidence.claim.key)
            if claim_id is None:
                claim_id = claim_nodes[evidence.claim.key] = node(
                    evidence.claim.text, "I", evidence.claim.created
                )
            quote_key = (bundle.source.sha256, bundle.passage.ordinal, evidence.annotation)
            if quote_key not in quote_nodes:
                quote_nodes[quote_key] = node(_quote(bundle, evidence), "I", evidence.created)
            kind, text = SCHEMES[evidence.relation]
            scheme_id = node(text, kind, evidence.created)
            edge(quote_nodes[quote_key], scheme_id)
            edge(scheme_id, claim_id)
    people = sorted(set(participants))
    document = {
        "nodes": nodes,
        "edges": edges,
        "locutions": [],
        "participants": [
            {"participantID": str(i), "firstname": name, "surname": ""}
            for i, name in enumerate(people, start=1)
        ],
    }
    yield json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
