"""Training a project's recommenders: what teaches them, what they store, and what is offered."""

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sources.models import (
    Annotation,
    AnnotationStatus,
    Recommender,
    RecommenderEvaluation,
    Suggestion,
    SuggestionRejection,
)
from sources.recommenders.examples import training_examples
from sources.selectors.suggestions import offered_to
from sources.services.recommender_training import recommenders_train, threshold_set, training_requested

from ..factories import AnnotationFactory, SessionFactory, SourceFactory, ThemeFactory

ENERGY = [f"Gas pipelines from Turkmenistan, deal number {n}." for n in range(12)]
OTHER = [f"Military exercises against terrorism, drill number {n}." for n in range(12)]
FRESH = ["New gas PIPELINES were opened.", "Газопровод и pipelines."]


@pytest.fixture
def corpus(team):
    source = SourceFactory(project=team.project, paragraphs=ENERGY + OTHER + FRESH)
    passages = list(source.passages.order_by("ordinal"))
    energy = ThemeFactory(project=team.project, slug="energy")
    security = ThemeFactory(project=team.project, slug="security")
    for passage in passages[:12]:
        start = passage.text.index("pipelines")
        AnnotationFactory(passage=passage, theme=energy, author=team.annotator, start=start, end=start + 9)
    for passage in passages[12:24]:
        AnnotationFactory(passage=passage, theme=security, author=team.annotator2)
    return passages, energy, security


def test_training_stores_evaluations_and_suggestions_for_every_passage(team, corpus):
    passages, energy, security = corpus
    report = recommenders_train(project=team.project)
    assert report.labelled == 24
    figures = {(e.theme_id, e.recommender): e for e in RecommenderEvaluation.objects.all()}
    assert figures[energy.pk, Recommender.PHRASE].examples == 12
    assert figures[energy.pk, Recommender.PHRASE].precision == 1.0
    assert figures[security.pk, Recommender.CLASSIFIER].examples == 12
    fresh = Suggestion.objects.filter(passage__in=passages[24:], recommender=Recommender.PHRASE)
    assert sorted((s.passage_id, s.quote) for s in fresh) == [
        (passages[24].pk, "PIPELINES"),
        (passages[25].pk, "pipelines"),
    ]
    assert Suggestion.objects.filter(
        passage=passages[24], recommender=Recommender.CLASSIFIER, theme=energy
    ).exists()


def test_annotators_are_offered_only_what_beats_the_threshold_and_not_what_they_tagged(team, corpus):
    passages, energy, _ = corpus
    recommenders_train(project=team.project)
    offered = offered_to(team.annotator2)
    assert {s.theme_id for s in offered} >= {energy.pk}
    # annotator tagged "pipelines" in the first twelve passages: not offered to them there again
    mine = offered_to(team.annotator).filter(passage__in=passages[:12], recommender=Recommender.PHRASE)
    assert not mine.exists()
    threshold_set(project=team.project, min_precision=0.6, min_examples=13)
    assert not offered_to(team.annotator2).exists()
    assert not offered_to(team.outsider).exists()


def test_a_rejected_suggestion_is_not_offered_again_and_teaches_as_a_negative(team, corpus):
    passages, energy, _ = corpus
    recommenders_train(project=team.project)
    suggestion = offered_to(team.annotator2).get(passage=passages[24], recommender=Recommender.PHRASE)
    SuggestionRejection.objects.create(
        user=team.annotator2, passage=passages[24], theme=energy, start=suggestion.start, end=suggestion.end
    )
    assert not offered_to(team.annotator2).filter(pk=suggestion.pk).exists()
    assert offered_to(team.annotator).filter(pk=suggestion.pk).exists()
    examples = training_examples(team.project)
    assert passages[24].pk in examples.passages
    assert examples.passages.index(passages[24].pk) in examples.rejected[energy.pk]
    assert examples.passages.index(passages[24].pk) in examples.negatives(energy.pk)


def test_blind_session_work_and_rejected_tags_never_teach(team, corpus):
    passages, energy, _ = corpus
    blind = SessionFactory(project=team.project, blind=True)
    AnnotationFactory(passage=passages[25], theme=energy, author=team.annotator, session=blind)
    AnnotationFactory(
        passage=passages[24], theme=energy, author=team.annotator2, status=AnnotationStatus.REJECTED
    )
    examples = training_examples(team.project)
    assert passages[25].pk not in examples.passages
    assert passages[24].pk not in examples.passages


def test_where_the_project_reviews_only_approved_tags_teach(team, corpus):
    passages = corpus[0]
    Annotation.objects.filter(passage=passages[0]).update(status=AnnotationStatus.APPROVED)
    examples = training_examples(team.project)
    assert examples.passages == [passages[0].pk]


def test_adding_tags_queues_one_training_run_until_it_starts(
    team, corpus, django_capture_on_commit_callbacks
):
    passages, energy, _ = corpus
    with django_capture_on_commit_callbacks(execute=True):
        AnnotationFactory(passage=passages[24], theme=energy, author=team.instructor)
        AnnotationFactory(passage=passages[25], theme=energy, author=team.instructor)
    queued = DBTaskResult.objects.filter(task_path__endswith="recommenders_task")
    assert queued.count() == 1
    assert queued.get().run_after > timezone.now()
    training_requested(team.project.pk)
    assert queued.count() == 1
    recommenders_train(project=team.project)
    training_requested(team.project.pk)
    assert queued.count() == 2
