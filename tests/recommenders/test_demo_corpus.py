"""The passage classifier on the real demo corpus (both SCO articles through the ingester): with a
fixed seed, tags on half of its passages teach; the suggestions for the other half are scored
against the tags held out. What is checked is the counting, not how good the model is."""

import random
import re

import pytest
from django.contrib.auth import get_user_model

from sources.models import (
    Annotation,
    AnnotationStatus,
    Passage,
    Recommender,
    RecommenderEvaluation,
    Suggestion,
)
from sources.recommenders import classifier
from sources.recommenders.examples import training_examples
from sources.recommenders.scores import Scores
from sources.services.demo import demo_seed
from sources.services.recommender_training import recommenders_train

pytestmark = pytest.mark.django_db

# The held-out "truth": a passage is about the SCO's expansion when it says so in one of these words.
EXPANSION = re.compile(r"\b(India|Pakistan|expansion|enlargement|members?|membership)\b", re.IGNORECASE)


def test_the_classifiers_suggestions_for_held_out_passages_are_scored_as_counted():
    project = demo_seed().project
    expansion = project.themes.get(slug="expansion")
    instructor = get_user_model().objects.get(username="instructor")
    passages = list(Passage.objects.filter(source__project=project).exclude(kind="heading").order_by("pk"))
    random.Random(16).shuffle(passages)
    half = len(passages) // 2
    taught, held_out = passages[:half], passages[half:]
    about_expansion = {p.pk for p in passages if EXPANSION.search(p.text)}
    Annotation.objects.bulk_create(
        Annotation(passage=p, theme=expansion, author=instructor, status=AnnotationStatus.APPROVED)
        for p in taught
        if p.pk in about_expansion
    )
    # Other passages taught are approved as something else: known not to be about expansion.
    other = project.themes.get(slug="multipolarity")
    Annotation.objects.bulk_create(
        Annotation(passage=p, theme=other, author=instructor, status=AnnotationStatus.APPROVED)
        for p in taught
        if p.pk not in about_expansion
    )
    recommenders_train(project=project)

    suggested = set(
        Suggestion.objects.filter(
            theme=expansion, recommender=Recommender.CLASSIFIER, passage__in=[p.pk for p in held_out]
        ).values_list("passage_id", flat=True)
    )
    truth = {p.pk for p in held_out} & about_expansion
    scores = Scores.of(
        true_positives=len(suggested & truth),
        false_positives=len(suggested - truth),
        false_negatives=len(truth - suggested),
        examples=len(truth),
    )
    assert truth and suggested, "the held-out half has passages about expansion, and some are suggested"
    assert scores.precision == pytest.approx(len(suggested & truth) / len(suggested))
    assert scores.recall == pytest.approx(len(suggested & truth) / len(truth))
    if scores.precision and scores.recall:
        assert scores.f1 == pytest.approx(2 / (1 / scores.precision + 1 / scores.recall))

    # The stored cross-validated figures rest on the taught half only, and are what evaluating again
    # on the same examples gives (a fixed seed: the same folds, the same models).
    stored = RecommenderEvaluation.objects.get(theme=expansion, recommender=Recommender.CLASSIFIER)
    assert stored.examples == len({p.pk for p in taught} & about_expansion)
    again = classifier.evaluate(training_examples(project))[expansion.pk]
    assert (stored.precision, stored.recall, stored.f1) == pytest.approx(
        (again.precision, again.recall, again.f1)
    )
