"""Anchor examples of a theme: passages, or spans of them, that show annotators what it means."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Passage, Theme, ThemeAnchor
from .annotations import span_quote

MAX_ANCHORS = 50


@transaction.atomic
def anchor_add(
    *,
    theme: Theme,
    passage: Passage,
    start: int | None = None,
    end: int | None = None,
    quote: str | None = None,
    note: str = "",
) -> ThemeAnchor:
    """Anchor `theme` to a passage of its project: the whole passage, the span start:end, or, with only
    `quote`, the first place that exact text occurs in the passage."""
    if passage.source.project_id != theme.project_id:
        raise ValidationError({"passage": "The passage belongs to another project."})
    if start is None and end is None and quote:
        found = passage.text.find(quote)
        if found < 0:
            raise ValidationError({"quote": f"These words are not in passage {passage.ordinal}: {quote!r}."})
        start, end = found, found + len(quote)
    text = span_quote(passage, start, end, None)
    if start is not None and start == end:
        raise ValidationError({"end": "An anchor span needs at least one character."})
    if theme.anchors.count() >= MAX_ANCHORS:
        raise ValidationError({"passage": f"A theme has at most {MAX_ANCHORS} anchor examples."})
    if theme.anchors.filter(passage=passage, start=start, end=end).exists():
        raise ValidationError({"passage": "This example is already an anchor of the theme."})
    anchor = ThemeAnchor(theme=theme, passage=passage, start=start, end=end, quote=text, note=note[:500])
    anchor.full_clean()
    anchor.save()
    return anchor


def anchor_remove(*, anchor: ThemeAnchor) -> None:
    anchor.delete()
