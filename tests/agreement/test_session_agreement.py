"""Agreement of a session's annotators who submitted, per theme and overall."""

import pytest

from sources.models import Annotation, Passage, Submission
from sources.selectors.agreement import session_agreement

from ..factories import SessionFactory, SourceFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_agreement_counts_only_submitted_annotators_and_matches_a_hand_computation():
    source = SourceFactory(paragraphs=["Title", "First passage.", "Second one.", "Third one.", "Fourth one."])
    Passage.objects.filter(source=source, ordinal=0).update(kind="heading")
    passages = list(source.passages.order_by("ordinal"))[1:]
    energy = ThemeFactory(project=source.project, slug="energy", order=0)
    ThemeFactory(project=source.project, slug="expansion", order=1)
    ann1, ann2, late = (
        UserFactory(username="ann1"),
        UserFactory(username="ann2"),
        UserFactory(username="late"),
    )
    session = SessionFactory(project=source.project)
    session.sources.add(source)
    session.participants.add(ann1, ann2, late)
    for author, ordinals in [(ann1, [0, 1]), (ann2, [0]), (late, [2, 3])]:
        for n in ordinals:
            Annotation.objects.create(passage=passages[n], theme=energy, author=author, session=session)
    Annotation.objects.create(passage=passages[0], theme=energy, author=ann1, session=session, start=0, end=5)
    Annotation.objects.create(passage=passages[0], theme=energy, author=ann2, session=session, start=3, end=9)
    for user in (ann1, ann2):
        Submission.objects.create(session=session, user=user)

    result = session_agreement(project=source.project, session=session)

    assert result["annotators"] == ["ann1", "ann2"]
    by_theme = {t["theme"]: t for t in result["themes"]}
    energy_row = by_theme["energy"]
    # ann1 tags passages 0,1; ann2 tags 0: matrix [[1,1,0,0],[1,0,0,0]]
    # (the heading is no unit, and "late" did not submit)
    assert (energy_row["items"], energy_row["annotators"]) == (4, 2)
    assert energy_row["percent_agreement"] == pytest.approx(0.75)
    assert energy_row["cohen_kappa"] == pytest.approx(0.5)
    assert energy_row["krippendorff_alpha"] == pytest.approx(1 - 7 * 2 / 30, abs=1e-6)
    assert by_theme["expansion"]["percent_agreement"] == 1.0
    assert by_theme["expansion"]["krippendorff_alpha"] is None
    assert result["overall"]["items"] == 8
    [pair] = result["spans"]
    assert pair["annotators"] == ["ann1", "ann2"] and pair["theme"] == "energy" and pair["f1"] == 1.0


def test_agreement_for_one_theme_only():
    source = SourceFactory(paragraphs=["One.", "Two."])
    ThemeFactory(project=source.project, slug="energy")
    ThemeFactory(project=source.project, slug="expansion")
    session = SessionFactory(project=source.project)
    session.sources.add(source)
    result = session_agreement(project=source.project, session=session, theme_slug="energy")
    assert [t["theme"] for t in result["themes"]] == ["energy"]
    assert result["overall"]["annotators"] == 0
