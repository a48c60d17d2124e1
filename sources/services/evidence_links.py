"""Linking a passage, or a span of it, to a claim in one step, as the reader's link dialog does."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Annotation, Claim, Evidence, Passage, Session, Theme
from .annotations import annotation_create
from .claims import claim_create, evidence_create


@transaction.atomic
def evidence_link_create(
    *,
    passage: Passage,
    author: AbstractBaseUser,
    relation: str,
    claim: Claim | None = None,
    claim_text: str = "",
    annotation: Annotation | None = None,
    theme: Theme | None = None,
    start: int | None = None,
    end: int | None = None,
    quote: str | None = None,
    note: str = "",
    session: Session | None = None,
) -> Evidence:
    """Link `passage` to `claim` (or to a new claim with `claim_text`) as `relation`.

    The evidence is the whole passage, an existing span `annotation`, or the selected span
    `start`:`end`, which is tagged with `theme` first. All or nothing: a refused link leaves no new
    claim or tag behind. In a `session`, the new claim, tag and link belong to it."""
    if claim is None:
        if not claim_text.strip():
            raise ValidationError({"claim": "Choose a claim, or write the text of a new one."})
        claim = claim_create(project=passage.source.project, author=author, text=claim_text, session=session)
    if annotation is None and start is not None:
        if theme is None:
            raise ValidationError({"theme": "Choose a theme to tag the selected text with."})
        annotation = annotation_create(
            passage=passage, theme=theme, author=author, start=start, end=end, quote=quote, session=session
        )
    return evidence_create(
        claim=claim,
        passage=passage,
        relation=relation,
        author=author,
        annotation=annotation,
        note=note,
        session=session,
    )
