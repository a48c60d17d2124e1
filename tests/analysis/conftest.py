"""A small corpus for the analysis views: two sources by different authors in different languages,
a codebook with a sub-theme (security > terrorism), and approved, submitted and draft tags."""

from dataclasses import dataclass

import pytest

from sources.models import Passage, Source, Theme

from ..conftest import Team
from ..factories import AnnotationFactory, SourceFactory, ThemeFactory

CHINESE = [
    "China uses the SCO to fight terrorism and separatism.",
    "Energy pipelines from Central Asia reach China.",
    "Security and energy go together for Beijing.",
    "The expansion to India changed little.",
]
KAZAKH = [
    "Kazakhstan sees the SCO as a forum for trade.",
    "Energy exports to China grow every year.",
    "Terrorism is a shared concern of the members.",
]


@dataclass
class Corpus:
    team: Team
    chinese: Source
    kazakh: Source
    cn: list[Passage]
    kz: list[Passage]
    security: Theme
    terrorism: Theme
    energy: Theme
    expansion: Theme


@pytest.fixture
def corpus(team: Team) -> Corpus:
    project = team.project
    chinese = SourceFactory(
        project=project, title="Chinese view", authors=["Li W."], language="zh", paragraphs=CHINESE
    )
    kazakh = SourceFactory(
        project=project, title="Kazakh view", authors=["Nurlan A."], language="kk", paragraphs=KAZAKH
    )
    security = ThemeFactory(project=project, slug="security", name="Security", order=1)
    terrorism = ThemeFactory(project=project, slug="terrorism", name="Terrorism", parent=security, order=2)
    energy = ThemeFactory(project=project, slug="energy", name="Energy", order=3)
    expansion = ThemeFactory(project=project, slug="expansion", name="Expansion", order=4)
    cn = list(chinese.passages.order_by("ordinal"))
    kz = list(kazakh.passages.order_by("ordinal"))
    a, b = team.annotator, team.annotator2
    approved = [
        (cn[0], terrorism, a),
        (cn[0], terrorism, b),  # two people, one passage: counted once
        (cn[1], energy, a),
        (cn[2], security, a),
        (cn[2], energy, b),
        (kz[1], energy, a),
        (kz[2], terrorism, b),
    ]
    for passage, theme, author in approved:
        AnnotationFactory(passage=passage, theme=theme, author=author, status="approved")
    AnnotationFactory(passage=cn[3], theme=expansion, author=a, status="submitted")
    AnnotationFactory(passage=kz[0], theme=expansion, author=b, status="draft")
    return Corpus(team, chinese, kazakh, cn, kz, security, terrorism, energy, expansion)
