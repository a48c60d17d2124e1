"""Predictions another tool's model made, imported as suggestions (recommender "imported"): offered
to members as they are, never tags. Written in batches, without duplicating one already stored."""

from ...models import Recommender, Suggestion, Theme
from .context import ImportContext
from .writer import BATCH


class SuggestionWriter:
    """Collects imported predictions and inserts them in batches, skipping any already stored (by
    passage, theme and span) or given twice in the file."""

    def __init__(self, context: ImportContext) -> None:
        self.context = context
        self.pending: dict[tuple, Suggestion] = {}

    def add(
        self,
        *,
        passage_id: int,
        passage_text: str,
        theme: Theme | None,
        start: int | None,
        end: int | None,
        score: float,
    ) -> None:
        if theme is None:
            return  # an unknown theme: reported by the context at the end
        key = (passage_id, theme.pk, start, end)
        if key in self.pending:
            self.context.report.duplicates_skipped += 1
            self.pending[key].score = max(self.pending[key].score, score)
            return
        self.pending[key] = Suggestion(
            project=self.context.project,
            passage_id=passage_id,
            theme=theme,
            start=start,
            end=end,
            quote=passage_text[start:end] if start is not None else "",
            score=score,
            recommender=Recommender.IMPORTED,
        )
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        stored = set(
            Suggestion.objects.filter(
                recommender=Recommender.IMPORTED, passage_id__in={key[0] for key in self.pending}
            ).values_list("passage_id", "theme_id", "start", "end")
        )
        fresh = [row for key, row in self.pending.items() if key not in stored]
        self.context.report.duplicates_skipped += len(self.pending) - len(fresh)
        Suggestion.objects.bulk_create(fresh, batch_size=BATCH)
        self.context.report.suggestions_created += len(fresh)
        self.pending = {}
