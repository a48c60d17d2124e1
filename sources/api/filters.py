"""Query-parameter filters of the list endpoints: `project` and `theme` by slug, the others by id.

Filters that need more than a field lookup (a passage's annotations, full-text search, a claim's
evidence) hand over to a selector, where the querysets are built."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from ..models import AnnotationStatus, Decision, Relation
from ..selectors.claims import claims_with_evidence
from ..selectors.reviews import reviews_in_project
from ..selectors.sources import passages_in_session, passages_matching, passages_tagged

MAX_ID = 2**63 - 1


class IdFilter(filters.NumberFilter):
    """An id: a whole number, whatever the field (or filter method) behind it."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, help_text: str, **kwargs: Any) -> None:
        super().__init__(*args, min_value=1, max_value=MAX_ID, help_text=help_text, **kwargs)
        schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID, "description": help_text}
        extend_schema_field(schema)(self)


def slug_filter(field_name: str, help_text: str) -> filters.CharFilter:
    return filters.CharFilter(field_name=field_name, max_length=64, help_text=help_text)


PROJECT_HELP = "Project slug."


class SourceFilter(filters.FilterSet):
    project = slug_filter("project__slug", PROJECT_HELP)


class PassageFilter(filters.FilterSet):
    project = slug_filter("source__project__slug", PROJECT_HELP)
    source = IdFilter(field_name="source", help_text="Source id.")
    theme = filters.CharFilter(
        method="by_annotation", max_length=64, help_text="Passages with an annotation of this theme (slug)."
    )
    author = IdFilter(method="by_annotation", help_text="Passages with an annotation by this user (id).")
    status = filters.ChoiceFilter(
        method="by_annotation",
        choices=AnnotationStatus.choices,
        help_text="Passages with an annotation in this status.",
    )
    session = IdFilter(
        method="by_annotation",
        help_text="Passages of this session's sources; with theme, author or status, the matching "
        "annotation must also belong to the session.",
    )
    q = filters.CharFilter(
        method="by_text", max_length=500, help_text="Full-text search: passages containing every word."
    )

    def by_annotation(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # theme, author, status and session describe one annotation together; `filter_queryset` below
        # applies them at once, so this per-field hook has nothing to do.
        return queryset

    def by_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return passages_matching(queryset, value)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        criteria = {name: data.get(name) or None for name in ("theme", "author", "status", "session")}
        if criteria["session"] is not None:
            queryset = passages_in_session(queryset, criteria["session"])
        if any(value is not None for name, value in criteria.items() if name != "session"):
            queryset = passages_tagged(queryset, self.request.user, **criteria)
        return queryset


class ThemeFilter(filters.FilterSet):
    project = slug_filter("project__slug", PROJECT_HELP)


class AnnotationFilter(filters.FilterSet):
    project = slug_filter("passage__source__project__slug", PROJECT_HELP)
    source = IdFilter(field_name="passage__source", help_text="Source id.")
    passage = IdFilter(field_name="passage", help_text="Passage id.")
    theme = slug_filter("theme__slug", "Theme slug.")
    author = IdFilter(field_name="author", help_text="Author's user id.")
    status = filters.ChoiceFilter(choices=AnnotationStatus.choices)
    session = IdFilter(field_name="session", help_text="Session id.")


class ClaimFilter(filters.FilterSet):
    project = slug_filter("project__slug", PROJECT_HELP)
    passage = IdFilter(method="by_evidence", help_text="Claims with evidence on this passage (id).")
    relation = filters.ChoiceFilter(
        method="by_evidence", choices=Relation.choices, help_text="Claims with evidence of this relation."
    )

    def by_evidence(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # passage and relation describe one evidence link together: see filter_queryset.
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        passage = self.form.cleaned_data.get("passage") or None
        relation = self.form.cleaned_data.get("relation") or None
        if passage is None and relation is None:
            return queryset
        return claims_with_evidence(queryset, self.request.user, passage=passage, relation=relation)


class EvidenceFilter(filters.FilterSet):
    project = slug_filter("claim__project__slug", PROJECT_HELP)
    claim = IdFilter(field_name="claim", help_text="Claim id.")
    passage = IdFilter(field_name="passage", help_text="Passage id.")
    relation = filters.ChoiceFilter(choices=Relation.choices)


class ReviewFilter(filters.FilterSet):
    project = filters.CharFilter(method="by_project", max_length=64, help_text=PROJECT_HELP)
    annotation = IdFilter(field_name="annotation", help_text="Annotation id.")
    reviewer = IdFilter(field_name="reviewer", help_text="Reviewer's user id.")
    decision = filters.ChoiceFilter(choices=Decision.choices)

    def by_project(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return reviews_in_project(queryset, value)


class SessionFilter(filters.FilterSet):
    project = slug_filter("project__slug", PROJECT_HELP)


class SuggestionFilter(filters.FilterSet):
    project = slug_filter("project__slug", PROJECT_HELP)
    source = IdFilter(field_name="passage__source", help_text="Source id.")
    passage = IdFilter(field_name="passage", help_text="Passage id.")
    theme = slug_filter("theme__slug", "Theme slug.")
