"""The suggestions page for leads, the reader's suggestion marks, and suggestions kept out of exports
and agreement."""

import json

import pytest
from django.utils import timezone

from sources.models import Annotation, BulkAcceptance, RecommenderEvaluation, RecommenderSettings, Suggestion
from sources.selectors.agreement import session_agreement
from sources.services.sessions import session_submit

from ..factories import AnnotationFactory, SessionFactory


def offered(team, theme, recommender: str = "classifier", precision: float = 0.9) -> None:
    RecommenderEvaluation.objects.create(
        project=team.project,
        theme=theme,
        recommender=recommender,
        precision=precision,
        recall=0.5,
        f1=0.64,
        examples=20,
        offered=precision >= 0.6,
        trained_at=timezone.now(),
    )


@pytest.fixture
def suggested(team, themes, passages):
    offered(team, themes["energy"], "phrase")
    offered(team, themes["terrorism"])
    start = passages[2].text.index("pipelines")
    span = Suggestion.objects.create(
        project=team.project,
        passage=passages[2],
        theme=themes["energy"],
        start=start,
        end=start + 9,
        quote="pipelines",
        score=0.83,
        recommender="phrase",
    )
    whole = Suggestion.objects.create(
        project=team.project,
        passage=passages[1],
        theme=themes["terrorism"],
        score=0.71,
        recommender="classifier",
    )
    return span, whole


def test_the_reader_shows_suggestions_as_dotted_marks_with_theme_and_score(
    team, suggested, client_as, source
):
    span, whole = suggested
    page = client_as(team.annotator).get(f"/p/class/sources/{source.pk}/").content.decode()
    assert f'class="hl-suggested theme-{span.theme_id} lane-0 span-end" data-suggestion="{span.pk}"' in page
    assert 'title="Suggested: Energy · 0.83"' in page
    assert f'id="suggestion-{whole.pk}"' in page and "0.71" in page
    # not in a session's view, and not for observers, who cannot accept
    session = SessionFactory(project=team.project)
    session.sources.set([source])
    session.participants.set([team.annotator])
    in_session = client_as(team.annotator).get(f"/p/class/sources/{source.pk}/?session={session.pk}")
    assert "data-suggestion" not in in_session.content.decode()
    assert (
        'id="suggestion-'
        not in client_as(team.observer).get(f"/p/class/sources/{source.pk}/").content.decode()
    )


def test_accepting_from_the_reader_makes_the_users_tag_and_the_mark_goes(
    team, suggested, client_as, htmx_headers
):
    span, _ = suggested
    client = client_as(team.annotator)
    response = client.post(f"/p/class/suggestions/{span.pk}/accept/", headers=htmx_headers)
    assert response.status_code == 200
    tag = Annotation.objects.get(author=team.annotator)
    assert (tag.start, tag.end, tag.quote, tag.suggestion_id, tag.suggested_by) == (
        span.start,
        span.end,
        "pipelines",
        span.pk,
        "phrase",
    )
    fragment = response.content.decode()
    assert f'data-suggestion="{span.pk}"' not in fragment and f'data-annotation="{tag.pk}"' in fragment
    assert "Accepted the suggestion" in fragment
    assert client.post(f"/p/class/suggestions/{span.pk}/accept/", headers=htmx_headers).status_code == 404


def test_rejecting_from_the_reader_hides_it_from_that_user_only(
    team, suggested, client_as, htmx_headers, source
):
    _, whole = suggested
    response = client_as(team.annotator).post(
        f"/p/class/suggestions/{whole.pk}/reject/", headers=htmx_headers
    )
    assert response.status_code == 200 and f'id="suggestion-{whole.pk}"' not in response.content.decode()
    assert (
        f'id="suggestion-{whole.pk}"'
        in client_as(team.annotator2).get(f"/p/class/sources/{source.pk}/").content.decode()
    )
    assert client_as(team.observer).post(f"/p/class/suggestions/{whole.pk}/reject/").status_code == 403
    assert client_as(team.outsider).post(f"/p/class/suggestions/{whole.pk}/reject/").status_code == 404


def test_the_page_shows_the_figures_to_leads_only(team, suggested, client_as):
    page = client_as(team.instructor).get("/p/class/suggestions/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Phrase matcher" in text and "Passage classifier" in text and "0.90" in text
    assert client_as(team.annotator).get("/p/class/suggestions/").status_code == 403
    assert client_as(team.outsider).get("/p/class/suggestions/").status_code == 404


def test_the_threshold_decides_what_annotators_are_offered(team, suggested, client_as, source):
    client = client_as(team.instructor)
    response = client.post("/p/class/suggestions/threshold/", {"min_precision": "0.95", "min_examples": "10"})
    assert response.status_code == 302
    assert RecommenderSettings.objects.get(project=team.project).min_precision == 0.95
    assert (
        "data-suggestion"
        not in client_as(team.annotator).get(f"/p/class/sources/{source.pk}/").content.decode()
    )
    bad = client.post(
        "/p/class/suggestions/threshold/", {"min_precision": "2", "min_examples": "x"}, follow=True
    )
    assert "Precision at least" in bad.content.decode()
    assert RecommenderSettings.objects.get(project=team.project).min_precision == 0.95


def test_bulk_acceptance_makes_draft_tags_of_the_chosen_member_and_undo_takes_them_back(
    team, themes, suggested, client_as
):
    span, whole = suggested
    AnnotationFactory(
        passage=span.passage, theme=themes["energy"], author=team.annotator2, start=span.start, end=span.end
    )
    client = client_as(team.instructor)
    form = {"theme": themes["energy"].pk, "min_score": "0.5", "source": "", "author": team.annotator2.pk}
    page = client.post("/p/class/suggestions/bulk/", form, follow=True).content.decode()
    assert "Made 0 draft Energy tags of annotator2" in page  # the one suggestion was tagged already
    form.update(theme=themes["terrorism"].pk, min_score="0.7")
    client.post("/p/class/suggestions/bulk/", form)
    made = BulkAcceptance.objects.latest("id")
    tag = Annotation.objects.get(pk__in=made.annotations)
    assert (tag.author, tag.passage_id, tag.status, tag.suggested_by) == (
        team.annotator2,
        whole.passage_id,
        "draft",
        "classifier",
    )
    assert client.post(f"/p/class/suggestions/bulk/{made.pk}/undo/").status_code == 302
    assert not Annotation.objects.filter(pk=tag.pk).exists()
    again = client.post(f"/p/class/suggestions/bulk/{made.pk}/undo/", follow=True).content.decode()
    assert "undone already" in again
    assert client_as(team.annotator).post("/p/class/suggestions/bulk/", form).status_code == 403


def test_suggestions_are_never_exported_nor_counted_in_agreement(
    team, themes, passages, suggested, client_as
):
    session = SessionFactory(project=team.project, opens_at=timezone.now() - timezone.timedelta(days=1))
    session.sources.set([passages[0].source])
    session.participants.set([team.annotator, team.annotator2])
    for author in (team.annotator, team.annotator2):
        AnnotationFactory(passage=passages[3], theme=themes["energy"], author=author, session=session)
    before = session_agreement(project=team.project, session=session)
    for user in (team.annotator, team.annotator2):
        session_submit(session=session, user=user)
    after_submit = session_agreement(project=team.project, session=session)
    Suggestion.objects.create(
        project=team.project,
        passage=passages[3],
        theme=themes["terrorism"],
        score=0.99,
        recommender="classifier",
    )
    assert session_agreement(project=team.project, session=session) == after_submit != before
    lines = client_as(team.owner).get("/p/class/export/download/", {"format": "jsonl"})
    rows = [json.loads(line) for line in b"".join(lines.streaming_content).decode().splitlines() if line]
    tagged = {(row["passage"]["ordinal"], tag["theme"]) for row in rows for tag in row.get("annotations", [])}
    assert tagged == {(3, "energy")}
