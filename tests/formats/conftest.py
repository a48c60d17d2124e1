"""A small project with everything exports carry: a codebook two levels deep, Cyrillic and astral-plane
text (so code points and UTF-16 units differ), spans and whole-passage tags, notes, every status, a
session, claims with supporting, contradicting and qualifying evidence."""

import hashlib
from dataclasses import dataclass

import pytest

from sources.models import Annotation, Claim, Project, Session, Source, Theme

from ..factories import (
    AnnotationFactory,
    ClaimFactory,
    EvidenceFactory,
    SessionFactory,
    SourceFactory,
    ThemeFactory,
)

RUSSIAN = [
    "Шанхайская организация сотрудничества",
    "ШОС борется с «тремя злами»: терроризмом, сепаратизмом и экстремизмом.",  # noqa: RUF001
    "Энергетическое сотрудничество: нефть и газ из Центральной Азии 🛢 идут в Китай.",
]
ENGLISH = [
    "Chinese View on the Expansion of the SCO",
    "China uses the SCO to fight terrorism, separatism and extremism.",
    'Pipelines 🛢 bring oil & gas; "energy security" <matters> to Beijing.',
    "A multipolar world needs new centres.",
]


@dataclass
class Corpus:
    project: Project
    russian: Source
    english: Source
    themes: dict[str, Theme]
    session: Session
    claims: list[Claim]


def real_source(project: Project, title: str, paragraphs: list[str], **fields) -> Source:
    source = SourceFactory(project=project, title=title, paragraphs=paragraphs, **fields)
    source.sha256 = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
    source.save(update_fields=["sha256"])
    return source


def span(passage, phrase: str) -> dict:
    start = passage.text.index(phrase)
    return {"start": start, "end": start + len(phrase), "quote": phrase}


def build_corpus(team) -> Corpus:
    project = team.project
    themes = {}
    themes["three-evils"] = ThemeFactory(project=project, slug="three-evils", name="Three evils", order=0)
    for order, slug in enumerate(["terrorism", "separatism", "extremism"]):
        themes[slug] = ThemeFactory(
            project=project, slug=slug, name=slug.title(), parent=themes["three-evils"], order=order
        )
    themes["energy"] = ThemeFactory(project=project, slug="energy", name="Energy", color="#2f855a", order=1)
    themes["multipolarity"] = ThemeFactory(
        project=project, slug="multipolarity", name="Multipolarity", order=2
    )
    russian = real_source(project, "Китай и ШОС", RUSSIAN, language="ru", authors=["Иванов И.И."], year=2019)
    english = real_source(
        project, "Chinese View on SCO Expansion", ENGLISH, authors=["Serikkaliyeva A.E.", "Amirbek A.A."]
    )
    session = SessionFactory(project=project, name="Week 1")
    session.sources.add(russian, english)
    session.participants.add(team.annotator, team.annotator2)
    ru = list(russian.passages.order_by("ordinal"))
    en = list(english.passages.order_by("ordinal"))
    a, b = team.annotator, team.annotator2

    def tag(passage, theme, author, phrase=None, **extra):
        fields = span(passage, phrase) if phrase else {}
        return AnnotationFactory(passage=passage, theme=themes[theme], author=author, **fields, **extra)

    tag(ru[1], "terrorism", a, "терроризмом", note="Один из «трёх зол»", status="approved")
    tag(ru[1], "separatism", a, "сепаратизмом", status="submitted")
    tag(ru[1], "three-evils", b, status="approved")
    tag(ru[1], "terrorism", b, "терроризмом", status="rejected", session=session)
    energy = tag(ru[2], "energy", a, "нефть и газ из Центральной Азии 🛢 идут в Китай", status="approved")
    tag(ru[2], "energy", b, "🛢", note="emoji = one code point")
    tag(en[1], "terrorism", a, "terrorism", status="approved", session=session)
    tag(en[1], "extremism", b, "extremism", note='quotes " and , commas')
    pipeline = tag(en[2], "energy", a, '"energy security" <matters>', status="approved")
    tag(en[3], "multipolarity", b, status="draft")
    evils = ClaimFactory(
        project=project, author=team.instructor, text="The SCO exists to fight the three evils."
    )
    energy_claim = ClaimFactory(
        project=project, author=a, text="Energy drives China's SCO policy.", source=english
    )
    lonely = ClaimFactory(project=project, author=b, text="The SCO is an alliance against the West.")
    EvidenceFactory(claim=evils, passage=ru[1], author=a, relation="supports", status="approved")
    EvidenceFactory(claim=evils, passage=en[1], author=b, relation="qualifies", note="only the first aim")
    EvidenceFactory(claim=energy_claim, passage=ru[2], author=a, relation="supports", annotation=energy)
    EvidenceFactory(claim=energy_claim, passage=en[2], author=b, relation="supports", annotation=pipeline)
    EvidenceFactory(claim=lonely, passage=en[3], author=a, relation="contradicts")
    return Corpus(project, russian, english, themes, session, [evils, energy_claim, lonely])


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:
    """The team fixture sets six passwords per test; the real hasher would dominate the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def corpus(team) -> Corpus:
    return build_corpus(team)


def all_annotations(project: Project):
    return Annotation.objects.filter(passage__source__project=project)
