"""API fixtures: a small corpus in the team's project, with work by both annotators."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.urls import reverse

from sources.models import Annotation, Claim, Discussion, Evidence, Passage, Review, Session, Source, Theme
from sources.services.discussions import discussion_start

from ..conftest import Team
from ..factories import (
    AnnotationFactory,
    ClaimFactory,
    EvidenceFactory,
    SessionFactory,
    SourceFactory,
    ThemeFactory,
    UserFactory,
)

PARAGRAPHS = [
    "China uses the SCO to fight terrorism, separatism and extremism.",
    "Energy from Central Asia reaches China through pipelines, oil and gas alike.",
    "Кыргызстан и Казахстан проводят учения ШОС против терроризма.",
    "The expansion of the SCO to India and Pakistan made consensus harder.",
]


@dataclass
class World:
    team: Team
    source: Source
    passages: list[Passage]
    terrorism: Theme
    energy: Theme
    unused_theme: Theme
    annotation: Annotation  # annotator2's: someone else's work for `annotator`
    own_annotation: Annotation  # annotator's
    claim: Claim
    own_claim: Claim
    evidence: Evidence
    own_evidence: Evidence
    session: Session
    review: Review
    discussion: Discussion
    other_passage: Passage  # in the outsider's project


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Every test makes half a dozen users; the production hasher would spend seconds on them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    cache.clear()


@pytest.fixture
def world(team) -> World:
    project = team.project
    source = SourceFactory(project=project, title="The SCO article", paragraphs=PARAGRAPHS)
    passages = list(source.passages.order_by("ordinal"))
    terrorism = ThemeFactory(project=project, slug="terrorism", name="Terrorism")
    energy = ThemeFactory(project=project, slug="energy", name="Energy")
    unused = ThemeFactory(project=project, slug="unused", name="Unused")
    annotation = AnnotationFactory(
        passage=passages[0], theme=terrorism, author=team.annotator2, start=0, end=5
    )
    own = AnnotationFactory(passage=passages[1], theme=energy, author=team.annotator)
    claim = ClaimFactory(project=project, author=team.annotator2, text="The SCO is about security first.")
    own_claim = ClaimFactory(project=project, author=team.annotator, text="Energy drives the SCO.")
    evidence = EvidenceFactory(claim=claim, passage=passages[0], author=team.annotator2)
    own_evidence = EvidenceFactory(claim=own_claim, passage=passages[1], author=team.annotator)
    session = SessionFactory(project=project, name="Week 1", answer_key_author=team.instructor)
    session.sources.set([source])
    session.participants.set([team.annotator, team.annotator2])
    review = Review.objects.create(annotation=annotation, reviewer=team.instructor, decision="comment")
    discussion = discussion_start(
        passage=passages[0], theme=terrorism, started_by=team.annotator2, text="Is this terrorism?"
    )
    other = SourceFactory(project=team.other_project, paragraphs=["Another team's passage."])
    return World(
        team=team,
        source=source,
        passages=passages,
        terrorism=terrorism,
        energy=energy,
        unused_theme=unused,
        annotation=annotation,
        own_annotation=own,
        claim=claim,
        own_claim=own_claim,
        evidence=evidence,
        own_evidence=own_evidence,
        session=session,
        review=review,
        discussion=discussion,
        other_passage=other.passages.get(),
    )


@pytest.fixture
def newcomer(db):
    return UserFactory(username="newcomer")


def url(name: str, **kwargs) -> str:
    return reverse(f"api:{name}", kwargs=kwargs or None)
