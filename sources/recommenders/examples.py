"""The training examples of a project: its tags that a recommender may learn from.

Where the project reviews (any tag approved or rejected), only approved tags teach; otherwise every
tag that is not rejected. A tag accepted from a suggestion teaches only once approved (else the
recommenders would learn from themselves). Work of blind sessions never teaches: a suggestion must
not carry one participant's unsubmitted work to another (docs/suggestions.md). A user's rejected
suggestion makes its passage a negative example of the theme."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from ..models import Annotation, AnnotationStatus, Passage, Project, SuggestionRejection


@dataclass(frozen=True)
class Span:
    passage: int  # index into Examples.passages
    start: int
    end: int


@dataclass
class Examples:
    """Labelled passages (those with a training tag or a rejected suggestion), in id order."""

    passages: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    positives: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # theme → indices
    spans: dict[int, set[Span]] = field(default_factory=lambda: defaultdict(set))  # theme → spans
    rejected: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # theme → indices

    def negatives(self, theme: int) -> set[int]:
        return set(range(len(self.passages))) - self.positives[theme]


def training_tags(project: Project) -> QuerySet[Annotation]:
    tags = Annotation.objects.filter(passage__source__project=project).exclude(session__blind=True)
    reviewed = (
        Annotation.objects.filter(passage__source__project=project)
        .filter(status__in=[AnnotationStatus.APPROVED, AnnotationStatus.REJECTED])
        .exists()
    )
    if reviewed:
        return tags.filter(status=AnnotationStatus.APPROVED)
    return tags.exclude(status=AnnotationStatus.REJECTED).filter(suggested_by="")


def training_examples(project: Project) -> Examples:
    tags = list(training_tags(project).order_by().values_list("passage_id", "theme_id", "start", "end"))
    rejections = list(
        SuggestionRejection.objects.filter(passage__source__project=project).values_list(
            "passage_id", "theme_id"
        )
    )
    labelled = sorted({passage for passage, *_ in tags} | {passage for passage, _ in rejections})
    examples = Examples()
    texts = dict(Passage.objects.filter(pk__in=labelled).values_list("pk", "text"))
    index = {}
    for passage in labelled:
        index[passage] = len(examples.passages)
        examples.passages.append(passage)
        examples.texts.append(texts[passage])
    for passage, theme, start, end in tags:
        examples.positives[theme].add(index[passage])
        if start is not None and start < end:
            examples.spans[theme].add(Span(index[passage], start, end))
    for passage, theme in rejections:
        examples.rejected[theme].add(index[passage])
    return examples
