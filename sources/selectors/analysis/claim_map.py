"""The claim map: claims, and their evidence gathered into edges from each claim to the sources of
the passages linked to it, one edge per (claim, source, relation) with the number of links.

Claims and evidence links go through `visible_in` (visibility.py); the links take the scope's status, session,
annotator, source and (when one is chosen) theme subtree. Two queries, whatever the project's size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from ...models import Claim, Evidence, Relation
from ..visibility import visible_in
from .filters import ALL, Scope

MAX_CLAIMS = 500
RELATIONS = list(Relation.values)


@dataclass
class ClaimMap:
    claims: list[dict]  # {"id", "text", "links"}
    sources: list[dict]  # {"id", "title", "links"}
    edges: list[dict]  # {"claim", "source", "relation", "links"}
    truncated: bool  # more claims than MAX_CLAIMS: the first ones, by id, are shown

    def as_dict(self) -> dict:
        return {
            "claims": self.claims,
            "sources": self.sources,
            "edges": self.edges,
            "relations": RELATIONS,
            "truncated": self.truncated,
        }


def claim_map(scope: Scope) -> ClaimMap:
    filters = scope.filters
    claims = Claim.objects.filter(project=scope.project)
    if filters.session is not None:
        claims = claims.filter(session=filters.session)
    if filters.annotator is not None:
        claims = claims.filter(author_id=filters.annotator)
    shown = list(
        visible_in(scope.user, scope.project, claims)
        .order_by("pk")
        .values_list("pk", "text")[: MAX_CLAIMS + 1]
    )
    truncated = len(shown) > MAX_CLAIMS
    shown = shown[:MAX_CLAIMS]
    evidence = Evidence.objects.filter(claim__in=[pk for pk, _ in shown])
    narrowing = {
        "session": filters.session,
        "author_id": filters.annotator,
        "passage__source": filters.source,
        "status": None if scope.status == ALL else scope.status,
    }
    evidence = evidence.filter(**{path: value for path, value in narrowing.items() if value is not None})
    if filters.theme:
        evidence = evidence.filter(annotation__theme__in=list(scope.ancestors))
    rows = (
        visible_in(scope.user, scope.project, evidence)
        .order_by()
        .values_list("claim_id", "passage__source_id", "passage__source__title", "relation")
        .annotate(n=Count("pk"))
        .order_by("claim_id", "passage__source__title", "passage__source_id", "relation")
    )
    edges, per_claim, per_source, titles = [], {}, {}, {}
    for claim, source, title, relation, n in rows:
        edges.append({"claim": claim, "source": source, "relation": relation, "links": n})
        per_claim[claim] = per_claim.get(claim, 0) + n
        per_source[source] = per_source.get(source, 0) + n
        titles[source] = title
    return ClaimMap(
        claims=[{"id": pk, "text": text, "links": per_claim.get(pk, 0)} for pk, text in shown],
        sources=[
            {"id": pk, "title": titles[pk], "links": per_source[pk]}
            for pk in sorted(titles, key=lambda pk: (titles[pk], pk))
        ],
        edges=edges,
        truncated=truncated,
    )
