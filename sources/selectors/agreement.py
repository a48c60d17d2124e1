"""Agreement among a session's annotators who submitted.

Unit: a passage (headings excluded) of the session's sources. For every theme, each submitted
annotator gives one binary judgement per passage: tagged with that theme (anywhere in the passage,
whole or span) or not. "overall" pools every (passage, theme) unit."""

from collections import defaultdict
from itertools import combinations

from django.contrib.auth import get_user_model

from ..models import Annotation, Passage, PassageKind, Project, Session, Submission, Theme
from ..reliability import reliability, span_overlap_f1


def session_agreement(
    *, project: Project, session: Session, theme_slug: str | None = None, source_id: int | None = None
) -> dict:
    annotator_ids = list(
        Submission.objects.filter(session=session).order_by("user_id").values_list("user_id", flat=True)
    )
    names = dict(get_user_model().objects.filter(pk__in=annotator_ids).values_list("pk", "username"))
    passages = Passage.objects.filter(source__sessions=session).exclude(kind=PassageKind.HEADING)
    if source_id is not None:
        passages = passages.filter(source_id=source_id)
    passage_ids = list(passages.order_by("source_id", "ordinal").values_list("pk", flat=True))
    themes = Theme.objects.filter(project=project).order_by("order", "slug")
    if theme_slug is not None:
        themes = themes.filter(slug=theme_slug)
    theme_slugs = dict(themes.values_list("pk", "slug"))

    tagged: set[tuple[int, int, int]] = set()
    spans: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)
    rows = Annotation.objects.filter(
        session=session, author_id__in=annotator_ids, passage_id__in=passage_ids, theme_id__in=theme_slugs
    ).values_list("author_id", "passage_id", "theme_id", "start", "end")
    for author_id, passage_id, theme_id, start, end in rows.iterator():
        tagged.add((author_id, passage_id, theme_id))
        if start is not None:
            spans[(author_id, theme_id)].append((passage_id, start, end))

    def matrix(theme_ids: list[int]) -> list[list[int]]:
        return [[int((a, p, t) in tagged) for t in theme_ids for p in passage_ids] for a in annotator_ids]

    per_theme = [
        {"theme": slug, **reliability(matrix([theme_id])).as_dict()} for theme_id, slug in theme_slugs.items()
    ]
    pairs = []
    for a, b in combinations(annotator_ids, 2):
        for theme_id, slug in theme_slugs.items():
            scores = span_overlap_f1(spans[(a, theme_id)], spans[(b, theme_id)])
            if scores["f1"] is not None:
                pairs.append({"annotators": [names[a], names[b]], "theme": slug, **scores})
    return {
        "session": session.pk,
        "annotators": [names[a] for a in annotator_ids],
        "themes": per_theme,
        "overall": reliability(matrix(list(theme_slugs))).as_dict(),
        "spans": pairs,
    }
