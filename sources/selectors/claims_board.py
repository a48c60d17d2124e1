"""Claims with their evidence grouped by relation, for the claims board and the reader's link dialog."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.text import Truncator

from ..models import Claim, Evidence, Project, Relation
from .visibility import visible_to

CONTEXT = 160  # characters of passage text shown either side of an evidence span
WHOLE = 320  # characters shown of a whole-passage quote


@dataclass
class Quote:
    """What an evidence link quotes: its span with some context, or the start of the passage."""

    before: str
    span: str
    after: str


@dataclass
class RelationGroup:
    relation: str
    label: str
    evidence: list[Evidence]

    @property
    def adjective(self) -> str:
        """ "3 supporting", "1 contradicting", "2 qualifying"."""
        return {"supports": "supporting", "contradicts": "contradicting", "qualifies": "qualifying"}.get(
            self.relation, self.relation
        )


@dataclass
class ClaimCard:
    claim: Claim
    groups: list[RelationGroup]

    @property
    def evidence_count(self) -> int:
        return sum(len(g.evidence) for g in self.groups)


def evidence_quote(evidence: Evidence) -> Quote:
    text = evidence.passage.text
    annotation = evidence.annotation
    if annotation is not None and annotation.start is not None and annotation.start < annotation.end:
        before = text[max(0, annotation.start - CONTEXT) : annotation.start]
        after = text[annotation.end : annotation.end + CONTEXT]
        return Quote(
            before=("…" if annotation.start > CONTEXT else "") + before,
            span=text[annotation.start : annotation.end],
            after=after + ("…" if annotation.end + CONTEXT < len(text) else ""),
        )
    return Quote(before=Truncator(text).chars(WHOLE), span="", after="")


def board_evidence(user: AbstractBaseUser) -> QuerySet[Evidence]:
    """Evidence as the board shows it, without what a blind session hides from the caller, as in the API."""
    return (
        visible_to(user, Evidence.objects.all())
        .select_related("passage__source", "author", "annotation__theme")
        .order_by("created", "id")
    )


def claims_board(user: AbstractBaseUser, project: Project) -> list[ClaimCard]:
    """Every claim of the project the caller may see, newest first, with its evidence by relation:
    two queries."""
    claims = (
        visible_to(user, Claim.objects.filter(project=project))
        .select_related("author", "source")
        .prefetch_related(Prefetch("evidence", queryset=board_evidence(user)))
        .order_by("-created", "-id")
    )
    cards = []
    for claim in claims:
        by_relation: dict[str, list[Evidence]] = {value: [] for value in Relation.values}
        for evidence in claim.evidence.all():
            evidence.quote = evidence_quote(evidence)
            by_relation.setdefault(evidence.relation, []).append(evidence)
        groups = [RelationGroup(value, label, by_relation[value]) for value, label in Relation.choices]
        cards.append(ClaimCard(claim, groups))
    return cards


def claim_choices(user: AbstractBaseUser, project: Project) -> QuerySet[Claim]:
    return visible_to(user, Claim.objects.filter(project=project)).order_by("-created", "-id")


def evidence_in_project(user: AbstractBaseUser, project: Project, evidence_id: int) -> Evidence:
    evidence = (
        visible_to(user, Evidence.objects.select_related("passage__source", "claim"))
        .filter(claim__project=project, pk=evidence_id)
        .first()
    )
    if evidence is None:
        raise Http404("No such evidence in this project.")
    return evidence


def last_linked_claim_id(user: AbstractBaseUser, project: Project) -> int | None:
    """The claim the caller linked evidence to most recently in the project."""
    return (
        Evidence.objects.filter(author=user, claim__project=project)
        .order_by("-created", "-id")
        .values_list("claim_id", flat=True)
        .first()
    )
