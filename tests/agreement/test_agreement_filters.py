"""Agreement read from the API for one source or one theme of a session: only that session's submitted
annotators and tags count, a source's filter keeps the other source's spans out, and the themes come in
the codebook's order."""

import pytest

from sources.models import Annotation, Submission

from ..factories import SessionFactory, SourceFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _agreement(api_as, team, **params) -> dict:
    response = api_as(team.instructor).get(f"/api/projects/{team.project.slug}/agreement/", params)
    assert response.status_code == 200, response.content
    return response.json()


def _tag(session, user, passage, theme, start: int | None = None, end: int | None = None) -> None:
    Annotation.objects.create(
        passage=passage, theme=theme, author=user, session=session, start=start, end=end
    )


def test_agreement_on_one_source_counts_only_its_passages_and_this_sessions_work(team, api_as):
    articles = SourceFactory(project=team.project, paragraphs=[f"Article passage {n}." for n in range(4)])
    report = SourceFactory(project=team.project, paragraphs=[f"Report passage {n}." for n in range(4)])
    a, b = list(articles.passages.order_by("ordinal")), list(report.passages.order_by("ordinal"))
    energy = ThemeFactory(project=team.project, slug="energy")
    ann1, ann2, late = (
        UserFactory(username="ann1"),
        UserFactory(username="ann2"),
        UserFactory(username="late"),
    )
    week1, week2 = SessionFactory(project=team.project), SessionFactory(project=team.project)
    for session in (week1, week2):
        session.sources.add(articles, report)
        session.participants.add(ann1, ann2, late)
    # Week 1: on the article ann1 tags passages 0 and 1, ann2 passage 0; on the report both mark
    # overlapping spans of passage 0.
    _tag(week1, ann1, a[0], energy)
    _tag(week1, ann1, a[1], energy)
    _tag(week1, ann2, a[0], energy)
    _tag(week1, ann1, b[0], energy, 0, 6)
    _tag(week1, ann2, b[0], energy, 3, 9)
    Submission.objects.create(session=week1, user=ann1)
    Submission.objects.create(session=week1, user=ann2)
    # Week 2's work, and the annotator who submitted only there, are no part of week 1's agreement.
    for passage in a[1:]:
        _tag(week2, ann2, passage, energy)
    _tag(week2, late, a[3], energy)
    Submission.objects.create(session=week2, user=late)

    both = _agreement(api_as, team, session=week1.pk)
    assert both["session"] == week1.pk and both["annotators"] == ["ann1", "ann2"]
    [row] = both["themes"]
    # Article: [1,1,0,0] vs [1,0,0,0], 3 of 4 agree; report: [1,0,0,0] twice, 4 of 4.
    assert (row["theme"], row["items"], row["annotators"]) == ("energy", 8, 2)
    assert row["percent_agreement"] == pytest.approx(7 / 8)
    [pair] = both["spans"]
    assert (pair["annotators"], pair["theme"], pair["f1"], pair["spans"]) == (
        ["ann1", "ann2"],
        "energy",
        1.0,
        [1, 1],
    )

    article = _agreement(api_as, team, session=week1.pk, source=articles.pk)
    [row] = article["themes"]
    assert (row["items"], row["annotators"]) == (4, 2)
    assert row["percent_agreement"] == pytest.approx(0.75)
    assert row["cohen_kappa"] == pytest.approx(0.5)
    assert article["overall"]["items"] == 4
    assert article["spans"] == []  # the spans are on the report

    on_report = _agreement(api_as, team, session=week1.pk, source=report.pk)
    assert on_report["themes"][0]["percent_agreement"] == 1.0 and len(on_report["spans"]) == 1


def test_themes_come_in_the_codebooks_order_and_a_theme_filter_keeps_one(team, api_as):
    source = SourceFactory(project=team.project, paragraphs=["One.", "Two.", "Three."])
    # Same order: by slug; then the next order.
    ThemeFactory(project=team.project, slug="zeta", order=0)
    alpha = ThemeFactory(project=team.project, slug="alpha", order=0)
    ThemeFactory(project=team.project, slug="beta", order=1)
    ann1, ann2 = UserFactory(username="ann1"), UserFactory(username="ann2")
    session = SessionFactory(project=team.project)
    session.sources.add(source)
    session.participants.add(ann1, ann2)
    first = source.passages.order_by("ordinal").first()
    _tag(session, ann1, first, alpha)
    _tag(session, ann2, first, alpha)
    for user in (ann1, ann2):
        Submission.objects.create(session=session, user=user)

    everything = _agreement(api_as, team, session=session.pk)
    assert [row["theme"] for row in everything["themes"]] == ["alpha", "zeta", "beta"]
    assert everything["overall"]["items"] == 9

    only = _agreement(api_as, team, session=session.pk, theme="alpha")
    assert [row["theme"] for row in only["themes"]] == ["alpha"]
    assert only["overall"]["items"] == 3 and only["overall"]["percent_agreement"] == 1.0
