"""Claims and the evidence linking passages to them."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Annotation, Claim, Evidence, Passage, Project, Relation, Session, Source
from .annotations import check_session_work
from .errors import ConflictError
from .versioning import locked_for_update

# How a message names a relation: "as supporting evidence".
RELATION_WORDS = {"supports": "supporting", "contradicts": "contradicting", "qualifies": "qualifying"}


def _check_claim_source(claim: Claim) -> None:
    if claim.source is not None and claim.source.project_id != claim.project_id:
        raise ValidationError({"source": "The source belongs to another project."})
    if not claim.text.strip():
        raise ValidationError({"text": "A claim needs a text."})


@transaction.atomic
def claim_create(
    *,
    project: Project,
    author: AbstractBaseUser,
    text: str,
    source: Source | None = None,
    session: Session | None = None,
) -> Claim:
    """A claim; written in a `session`, it belongs to it (a blind one hides it for a while)."""
    claim = Claim(project=project, author=author, text=text.strip(), source=source, session=session)
    _check_claim_source(claim)
    if session is not None:
        check_session_work(session, project.pk, author)
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def claim_update(*, claim: Claim, expected_version: int | None = None, **changes: Any) -> Claim:
    claim = locked_for_update(claim, expected_version)
    for name, value in changes.items():
        if name not in {"text", "source"}:
            raise ValidationError({name: "This field cannot be changed."})
        setattr(claim, name, value.strip() if name == "text" else value)
    _check_claim_source(claim)
    claim.version += 1
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def claim_delete(*, claim: Claim, expected_version: int | None = None) -> None:
    claim = locked_for_update(claim, expected_version)
    claim.delete()


def _check_evidence(evidence: Evidence) -> None:
    project_id = evidence.claim.project_id
    if evidence.passage.source.project_id != project_id:
        raise ValidationError({"passage": "The passage belongs to another project than the claim."})
    if evidence.annotation is not None and evidence.annotation.passage_id != evidence.passage_id:
        raise ValidationError({"annotation": "The annotation is on another passage."})
    if evidence.relation not in Relation.values:
        raise ValidationError({"relation": f"Use one of {', '.join(Relation.values)}."})
    clash = (
        Evidence.objects.filter(
            claim=evidence.claim_id,
            passage=evidence.passage_id,
            relation=evidence.relation,
            author=evidence.author_id,
        )
        .exclude(pk=evidence.pk)
        .first()
    )
    if clash is not None:
        raise ConflictError(
            f"You already linked this passage to this claim as {RELATION_WORDS[evidence.relation]} evidence.",
            clash.pk,
        )


@transaction.atomic
def evidence_create(
    *,
    claim: Claim,
    passage: Passage,
    relation: str,
    author: AbstractBaseUser,
    annotation: Annotation | None = None,
    note: str = "",
    session: Session | None = None,
) -> Evidence:
    """A link; made in a `session` (or resting on the author's own span tagged in one), it belongs
    to that session."""
    if session is None and annotation is not None and annotation.author_id == author.pk:
        session = annotation.session
    evidence = Evidence(
        claim=claim,
        passage=passage,
        relation=relation,
        author=author,
        annotation=annotation,
        note=note,
        session=session,
    )
    _check_evidence(evidence)
    if session is not None:
        check_session_work(session, claim.project_id, author)
    evidence.full_clean(validate_constraints=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_update(*, evidence: Evidence, expected_version: int | None = None, **changes: Any) -> Evidence:
    evidence = locked_for_update(evidence, expected_version)
    for name, value in changes.items():
        if name not in {"relation", "note", "annotation"}:
            raise ValidationError({name: "This field cannot be changed."})
        setattr(evidence, name, value)
    _check_evidence(evidence)
    evidence.version += 1
    evidence.full_clean(validate_constraints=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, expected_version: int | None = None) -> None:
    evidence = locked_for_update(evidence, expected_version)
    evidence.delete()
