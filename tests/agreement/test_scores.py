"""Scores against an answer key, checked by hand."""

import pytest

from sources.models import Annotation
from sources.selectors.scores import session_scores

from ..factories import SessionFactory, SourceFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_precision_recall_and_kappa_against_the_key_match_a_hand_computation():
    source = SourceFactory(paragraphs=[f"Passage number {n}." for n in range(5)])
    passages = list(source.passages.order_by("ordinal"))
    energy = ThemeFactory(project=source.project, slug="energy")
    key, student = UserFactory(username="teacher"), UserFactory(username="student")
    session = SessionFactory(project=source.project)
    session.sources.add(source)
    session.participants.add(key, student)
    for author, ordinals in [(key, [0, 1]), (student, [0, 1, 2])]:
        for n in ordinals:
            Annotation.objects.create(passage=passages[n], theme=energy, author=author, session=session)

    [scores] = session_scores(session=session, key_author_id=key.pk)

    assert scores.username == "student"
    [theme] = scores.themes
    # student tags 0,1,2; key tags 0,1: precision 2/3, recall 2/2.
    # kappa: p_o = 4/5; p_e = 3/5*2/5 + 2/5*3/5 = 0.48; kappa = (0.8 - 0.48) / 0.52
    assert theme.precision == pytest.approx(2 / 3, abs=1e-6)
    assert theme.recall == pytest.approx(1.0)
    assert theme.kappa == pytest.approx((0.8 - 0.48) / 0.52, abs=1e-6)
    assert [(d.passage_id, d.kind) for d in scores.differences] == [(passages[2].pk, "extra")]


def test_a_theme_neither_tagged_has_no_precision_recall_or_kappa():
    source = SourceFactory(paragraphs=["One.", "Two."])
    theme = ThemeFactory(project=source.project)
    key, student = UserFactory(), UserFactory()
    session = SessionFactory(project=source.project)
    session.sources.add(source)
    session.participants.add(key, student)
    [scores] = session_scores(session=session, key_author_id=key.pk)
    assert scores.themes[0].theme == theme.slug
    assert (scores.themes[0].precision, scores.themes[0].recall, scores.themes[0].kappa) == (None, None, None)
