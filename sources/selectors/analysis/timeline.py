"""Progress over time: the scope's tags per day and annotator (by the day a tag was made, in the
site's time zone). Two queries, whatever the project's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.db.models.functions import TruncDate

from .filters import Scope

FILLED_DAYS = 120  # a span up to this many days lists every day, quiet ones with zeros


@dataclass
class Timeline:
    days: list[date]
    annotators: list[str]
    counts: list[list[int]]  # annotators by days

    @property
    def totals(self) -> list[int]:
        return [sum(column) for column in zip(*self.counts, strict=True)] if self.counts else []

    def as_dict(self) -> dict:
        return {
            "days": [day.isoformat() for day in self.days],
            "annotators": self.annotators,
            "counts": self.counts,
        }


def timeline(scope: Scope) -> Timeline:
    per_author = list(
        scope.annotations.order_by()
        .annotate(day=TruncDate("created"))
        .values_list("author_id", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    names = dict(
        get_user_model().objects.filter(pk__in={a for a, _, _ in per_author}).values_list("pk", "username")
    )
    rows = [(names[author], day, n) for author, day, n in per_author]
    seen = sorted({day for _, day, _ in rows})
    if seen and (seen[-1] - seen[0]).days < FILLED_DAYS:
        seen = [seen[0] + timedelta(days=n) for n in range((seen[-1] - seen[0]).days + 1)]
    column = {day: n for n, day in enumerate(seen)}
    annotators = sorted({name for name, _, _ in rows})
    counts = {name: [0] * len(seen) for name in annotators}
    for name, day, n in rows:
        counts[name][column[day]] = n
    return Timeline(days=seen, annotators=annotators, counts=[counts[name] for name in annotators])
