"""Training a project's recommenders and storing what they suggest (docs/suggestions.md).

`recommenders_train` runs at once (`manage.py train_recommenders`); `training_requested`, called
when tags are added or reviewed, queues one run for the task worker a minute later, however many
tags come in meanwhile."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from ..models import (
    Annotation,
    Passage,
    Project,
    Recommender,
    RecommenderEvaluation,
    RecommenderSettings,
    Suggestion,
)
from ..recommenders import classifier, phrases
from ..recommenders.classifier import PassageClassifier
from ..recommenders.examples import training_examples
from ..recommenders.phrases import PhraseMatcher
from ..recommenders.scores import Scores

BATCH = 2000
DEBOUNCE = timedelta(seconds=60)
TRAINED = (Recommender.PHRASE, Recommender.CLASSIFIER)


@dataclass
class TrainingReport:
    labelled: int
    evaluations: int
    suggestions: int


def settings_of(project: Project) -> RecommenderSettings:
    """The project's settings, or the defaults (unsaved) before anything was set or trained."""
    return RecommenderSettings.objects.filter(project=project).first() or RecommenderSettings(project=project)


def training_requested(project_id: int, *, at_once: bool = False) -> None:
    """Queue a training run of the project's recommenders unless one is waiting already; it starts
    a minute later (`at_once`: as soon as the worker is free), however many tags come meanwhile."""
    now = timezone.now()
    RecommenderSettings.objects.get_or_create(project_id=project_id)
    if not RecommenderSettings.objects.filter(project_id=project_id, queued_at__isnull=True).update(
        queued_at=now
    ):
        return
    queued = recommenders_task
    if default_task_backend.supports_defer and not at_once:
        queued = recommenders_task.using(run_after=now + DEBOUNCE)
    queued.enqueue(project_id)


def annotation_saved(sender: type[Annotation], instance: Annotation, **kwargs: object) -> None:
    """A tag was added or changed (its review, say): retrain once the transaction is committed."""
    passage = instance.passage_id
    transaction.on_commit(lambda: _requested_for_passage(passage))


def _requested_for_passage(passage_id: int) -> None:
    project = Passage.objects.filter(pk=passage_id).values_list("source__project_id", flat=True).first()
    if project is not None:
        training_requested(project)


@task()
def recommenders_task(project_id: int) -> None:
    project = Project.objects.filter(pk=project_id).first()
    if project is not None:
        recommenders_train(project=project)


def recommenders_train(*, project: Project) -> TrainingReport:
    """Fit, evaluate and apply both recommenders; replace the project's stored suggestions."""
    RecommenderSettings.objects.filter(project=project).update(queued_at=None)
    examples = training_examples(project)
    evaluations = {
        Recommender.PHRASE: phrases.evaluate(examples),
        Recommender.CLASSIFIER: classifier.evaluate(examples),
    }
    matcher = PhraseMatcher.fit(examples)
    model = PassageClassifier.fit(examples)
    now = timezone.now()
    with transaction.atomic():
        Suggestion.objects.filter(project=project, recommender__in=TRAINED).delete()
        stored = 0
        for batch in _batches(project):
            rows = [*_phrase_rows(project, matcher, batch), *_classifier_rows(project, model, batch)]
            Suggestion.objects.bulk_create(rows, batch_size=BATCH)
            stored += len(rows)
        _store_evaluations(project, evaluations, now)
        RecommenderSettings.objects.update_or_create(project=project, defaults={"trained_at": now})
        offer(project)
    return TrainingReport(
        labelled=len(examples.passages),
        evaluations=sum(len(scores) for scores in evaluations.values()),
        suggestions=stored,
    )


def _batches(project: Project) -> Iterator[list[tuple[int, str]]]:
    """The project's passages (id, text), a batch at a time, by id."""
    last = 0
    while True:
        batch = list(
            Passage.objects.filter(source__project=project, pk__gt=last)
            .order_by("pk")
            .values_list("pk", "text")[:BATCH]
        )
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def _phrase_rows(
    project: Project, matcher: PhraseMatcher, batch: list[tuple[int, str]]
) -> Iterator[Suggestion]:
    for passage, text in batch:
        for match in matcher.matches(text):
            yield Suggestion(
                project=project,
                passage_id=passage,
                theme_id=match.theme,
                start=match.start,
                end=match.end,
                quote=text[match.start : match.end],
                score=round(match.score, 4),
                recommender=Recommender.PHRASE,
            )


def _classifier_rows(
    project: Project, model: PassageClassifier, batch: list[tuple[int, str]]
) -> Iterator[Suggestion]:
    for theme, probabilities in model.scores([text for _, text in batch]):
        for (passage, _), probability in zip(batch, probabilities, strict=True):
            if probability >= classifier.MIN_SCORE:
                yield Suggestion(
                    project=project,
                    passage_id=passage,
                    theme_id=theme,
                    score=round(float(probability), 4),
                    recommender=Recommender.CLASSIFIER,
                )


def _store_evaluations(project: Project, evaluations: dict[str, dict[int, Scores]], now: datetime) -> None:
    RecommenderEvaluation.objects.filter(project=project, recommender__in=TRAINED).delete()
    RecommenderEvaluation.objects.bulk_create(
        RecommenderEvaluation(
            project=project,
            theme_id=theme,
            recommender=recommender,
            precision=scores.precision,
            recall=scores.recall,
            f1=scores.f1,
            examples=scores.examples,
            trained_at=now,
        )
        for recommender, by_theme in evaluations.items()
        for theme, scores in by_theme.items()
    )


def offer(project: Project) -> None:
    """Mark the evaluations that beat the project's threshold: their suggestions reach annotators."""
    settings = settings_of(project)
    evaluations = RecommenderEvaluation.objects.filter(project=project)
    beats = evaluations.filter(precision__gte=settings.min_precision, examples__gte=settings.min_examples)
    beats.update(offered=True)
    evaluations.exclude(pk__in=beats.values("pk")).update(offered=False)


def threshold_set(*, project: Project, min_precision: float, min_examples: int) -> RecommenderSettings:
    settings = RecommenderSettings.objects.get_or_create(project=project)[0]
    settings.min_precision = min_precision
    settings.min_examples = min_examples
    settings.full_clean()
    settings.save(update_fields=["min_precision", "min_examples"])
    offer(project)
    return settings
