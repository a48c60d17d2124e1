"""Suggestions in the reader: dotted marks with theme and score; `n` moves to the next, Enter
accepts it as one's own tag, Delete rejects it for good."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sources.models import Annotation, RecommenderEvaluation, Suggestion, SuggestionRejection

from .reader_team import open_reader, source_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CURRENT = re.compile(r"\bis-current-suggestion\b")
TEXTS = [
    "Energy security binds the SCO together, and pipelines exert influence on every summit.",
    "Joint exercises against terrorism are held every year.",
]


def suggest(team, passage, theme: str, recommender: str, score: float, phrase: str = "") -> Suggestion:
    RecommenderEvaluation.objects.get_or_create(
        project=team.project,
        theme=team.themes[theme],
        recommender=recommender,
        defaults={
            "precision": 0.9,
            "recall": 0.6,
            "f1": 0.72,
            "examples": 20,
            "offered": True,
            "trained_at": timezone.now(),
        },
    )
    span = {}
    if phrase:
        start = passage.text.index(phrase)
        span = {"start": start, "end": start + len(phrase), "quote": phrase}
    return Suggestion.objects.create(
        project=team.project,
        passage=passage,
        theme=team.themes[theme],
        recommender=recommender,
        score=score,
        **span,
    )


def test_n_moves_to_a_suggestion_enter_accepts_it_and_delete_rejects_the_next(page, reader_team):
    source = source_of(reader_team, TEXTS)
    first, second = source.passages.order_by("ordinal")
    span = suggest(reader_team, first, "energy", "phrase", 0.83, phrase="pipelines")
    whole = suggest(reader_team, second, "terrorism", "classifier", 0.71)
    open_reader(page, source)

    mark = page.locator(f'#passage-0 mark.hl-suggested[data-suggestion="{span.pk}"]')
    expect(mark).to_have_text("pipelines")
    expect(mark).to_have_attribute("title", "Suggested: Energy · 0.83")
    expect(page.locator(f"#suggestion-{whole.pk} .suggestion-score")).to_have_text("0.71")

    page.keyboard.press("n")
    expect(page.locator(f"#suggestion-{span.pk}")).to_have_class(CURRENT)
    expect(mark).to_have_class(CURRENT)
    page.keyboard.press("Enter")
    expect(page.locator("#flash")).to_contain_text("Accepted the suggestion: tagged “pipelines” as Energy.")
    expect(page.locator("#passage-0 mark.hl.mine")).to_have_text("pipelines")
    expect(page.locator("#passage-0 mark.hl-suggested")).to_have_count(0)
    tag = Annotation.objects.get(author__username="annotator1")
    assert (tag.quote, tag.suggestion_id, tag.suggested_by) == ("pipelines", span.pk, "phrase")

    page.keyboard.press("n")
    expect(page.locator(f"#suggestion-{whole.pk}")).to_have_class(CURRENT)
    page.keyboard.press("Delete")
    expect(page.locator("#flash")).to_contain_text("Rejected the Terrorism suggestion")
    expect(page.locator(".suggestion")).to_have_count(0)
    assert SuggestionRejection.objects.filter(user__username="annotator1", passage=second).exists()

    page.reload()
    expect(page.locator("#passage-1")).to_be_visible()
    expect(page.locator(".suggestion")).to_have_count(0)
    assert page.problems == []
