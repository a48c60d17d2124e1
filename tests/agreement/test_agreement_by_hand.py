"""Agreement an instructor reads from the API, for cases the two-annotator tests do not reach: three
annotators (three pairs per passage), an annotator who never varies, spans from only one annotator."""

import pytest

from sources.models import Annotation, Submission
from sources.reliability import cohen_kappa, span_overlap_f1

from ..factories import SessionFactory, SourceFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _submitted_session(team, tags: dict[str, list[int]], spans: dict[str, list[tuple[int, int, int]]]):
    """A session over one four-passage source; each annotator tags the passages at the given ordinals
    with `energy` (and spans `(ordinal, start, end)`), then submits."""
    source = SourceFactory(
        project=team.project, paragraphs=[f"Passage number {n} of four." for n in range(4)]
    )
    passages = list(source.passages.order_by("ordinal"))
    energy = ThemeFactory(project=team.project, slug="energy")
    session = SessionFactory(project=team.project)
    session.sources.add(source)
    for username in sorted(set(tags) | set(spans)):
        user = UserFactory(username=username)
        session.participants.add(user)
        for ordinal in tags.get(username, []):
            Annotation.objects.create(passage=passages[ordinal], theme=energy, author=user, session=session)
        for ordinal, start, end in spans.get(username, []):
            Annotation.objects.create(
                passage=passages[ordinal], theme=energy, author=user, session=session, start=start, end=end
            )
        Submission.objects.create(session=session, user=user)
    return session


def _agreement(api_as, team, session) -> dict:
    response = api_as(team.instructor).get(
        f"/api/projects/{team.project.slug}/agreement/?session={session.pk}"
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_three_annotators_percent_agreement_and_fleiss_kappa_by_hand(team, api_as):
    # ann1 tags passages 0 and 1, ann2 passage 0, ann3 passages 0 and 2:
    #   passage 0: 1 1 1 -> 3 of 3 pairs agree; passage 1: 1 0 0 -> 1 of 3; passage 2: 0 0 1 -> 1 of 3;
    #   passage 3: 0 0 0 -> 3 of 3. Percent agreement = (1 + 1/3 + 1/3 + 1) / 4 = 2/3.
    session = _submitted_session(team, {"ann1": [0, 1], "ann2": [0], "ann3": [0, 2]}, {})
    [energy] = _agreement(api_as, team, session)["themes"]
    assert (energy["items"], energy["annotators"]) == (4, 3)
    assert energy["percent_agreement"] == pytest.approx(2 / 3, abs=1e-6)
    # Fleiss: P_i = 1, 1/3, 1/3, 1 (mean 2/3); p_yes = 5/12, P_e = (25 + 49) / 144; kappa = 22/70.
    assert energy["fleiss_kappa"] == pytest.approx(22 / 70, abs=1e-6)
    assert energy["cohen_kappa"] is None  # Cohen's kappa is for two annotators only


def test_kappa_is_zero_not_missing_when_one_annotator_never_varies(team, api_as):
    # ann1 tags nothing; ann2 tags two of four passages. p_o = 2/4 and p_e = 1 * 2/4: kappa = 0.
    session = _submitted_session(team, {"ann1": [], "ann2": [0, 1]}, {})
    [energy] = _agreement(api_as, team, session)["themes"]
    assert energy["cohen_kappa"] == 0.0
    assert energy["percent_agreement"] == pytest.approx(0.5)
    assert cohen_kappa([[0, 0, 0, 0], [1, 1, 0, 0]]) == 0.0
    assert cohen_kappa([[1, 1, 0, 0], [1, 1, 1, 1]]) == 0.0


def test_span_f1_is_zero_not_missing_when_only_one_annotator_has_spans(team, api_as):
    # ann1 marks a span; ann2 tags the same passage whole: no span of ann2 to overlap with.
    session = _submitted_session(team, {"ann2": [0]}, {"ann1": [(0, 0, 7)]})
    [pair] = _agreement(api_as, team, session)["spans"]
    assert pair["annotators"] == ["ann1", "ann2"]
    assert (pair["precision"], pair["recall"], pair["f1"], pair["spans"]) == (0.0, 0.0, 0.0, [1, 0])
    assert span_overlap_f1([], [(1, 0, 7)]) == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "spans": [0, 1]}
