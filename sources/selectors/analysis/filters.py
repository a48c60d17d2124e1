"""The filters every analysis view shares (docs/analysis.md), read from a query string and checked
against the project: status, session, annotator, source and theme subtree.

`analysis_scope` turns them into a `Scope`: the caller's visible annotations (blind sessions
included, through `visible_in`) narrowed by the filters, and the codebook with each theme's
ancestors, so that a tag of a sub-theme counts under its parents too. A constant number of queries,
whatever the project's size."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from ...models import Annotation, AnnotationStatus, Membership, Project, Session, Source, Theme
from ..reader import themes_of
from ..visibility import visible_in

ALL = "all"
STATUSES = (*AnnotationStatus.values, ALL)
FILTERS = ("status", "session", "annotator", "source", "theme")


class InvalidFilter(ValueError):
    """Malformed or unknown filter values: `errors` maps each parameter to what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Filters:
    """The filters as asked; None (or "" for the status) means "not given"."""

    status: str = ""
    session: int | None = None
    annotator: int | None = None
    source: int | None = None
    theme: str = ""

    def query(self) -> dict[str, str]:
        """The filters given, as query parameters (for links that keep them)."""
        values = {name: getattr(self, name) for name in FILTERS}
        return {name: str(value) for name, value in values.items() if value not in (None, "")}


def _whole_number(data: Mapping[str, str], name: str, errors: dict[str, str]) -> int | None:
    raw = (data.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        errors[name] = f"'{raw[:40]}' is not an id (a whole number)."
        return None
    return int(raw)


def read_filters(data: Mapping[str, str]) -> Filters:
    """The filters of a query string; `InvalidFilter` names every malformed one."""
    errors: dict[str, str] = {}
    status = (data.get("status") or "").strip()
    if status and status not in STATUSES:
        errors["status"] = f"'{status[:40]}' is not a status; use one of {', '.join(STATUSES)}."
    numbers = {name: _whole_number(data, name, errors) for name in ("session", "annotator", "source")}
    theme = (data.get("theme") or "").strip()
    if len(theme) > 64:
        errors["theme"] = "A theme slug has at most 64 characters."
    if errors:
        raise InvalidFilter(errors)
    return Filters(status=status, theme=theme, **numbers)


@dataclass
class Scope:
    """What an analysis view counts: `annotations` (visible and filtered), the `themes` shown (the
    codebook in its order, or the chosen subtree) and `ancestors`, each theme id with itself and
    every ancestor among the themes shown."""

    project: Project
    user: AbstractBaseUser
    filters: Filters
    status: str  # the status used: the one asked, or the default
    annotations: QuerySet[Annotation]
    themes: list[Theme]
    ancestors: dict[int, list[int]] = field(default_factory=dict)
    session: Session | None = None
    source: Source | None = None
    # What the views computed for this scope (counts.py), so that the views of one page share it.
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def slugs(self) -> list[str]:
        return [theme.slug for theme in self.themes]


def _subtree(themes: list[Theme], root: Theme | None) -> list[Theme]:
    if root is None:
        return themes
    inside = {root.pk}
    for theme in themes:  # parents come before their children in `themes_of`
        if theme.parent_id in inside:
            inside.add(theme.pk)
    return [theme for theme in themes if theme.pk in inside]


def _ancestors(themes: list[Theme]) -> dict[int, list[int]]:
    shown = {theme.pk: theme for theme in themes}
    chains: dict[int, list[int]] = {}
    for theme in themes:
        chain, current = [], theme
        while current is not None and current.pk not in chain:
            chain.append(current.pk)
            current = shown.get(current.parent_id)
        chains[theme.pk] = chain
    return chains


def analysis_scope(user: AbstractBaseUser, project: Project, filters: Filters) -> Scope:
    """The scope of `filters` in `project` for `user`; `InvalidFilter` for an id or slug the project
    does not have. Without a status, approved work when there is any, else submitted work."""
    errors: dict[str, str] = {}
    session = source = None
    if filters.session is not None:
        session = Session.objects.filter(project=project, pk=filters.session).first()
        if session is None:
            errors["session"] = "No such session in this project."
    if filters.source is not None:
        source = Source.objects.filter(project=project, pk=filters.source).only("pk", "title").first()
        if source is None:
            errors["source"] = "No such source in this project."
    if (
        filters.annotator is not None
        and not Membership.objects.filter(project=project, user_id=filters.annotator).exists()
    ):
        errors["annotator"] = "No such member of this project."
    codebook = themes_of(project)
    root = None
    if filters.theme:
        root = next((theme for theme in codebook if theme.slug == filters.theme), None)
        if root is None:
            errors["theme"] = f"The project has no theme '{filters.theme[:64]}'."
    if errors:
        raise InvalidFilter(errors)
    themes = _subtree(codebook, root)
    # The themes are the project's, and a tag's theme is always of its passage's project: they scope
    # the tags to the project without joining passages and sources.
    annotations = Annotation.objects.filter(theme__in=[t.pk for t in themes])
    narrowing = {
        "session": filters.session,
        "author_id": filters.annotator,
        "passage__source": filters.source,
    }
    annotations = visible_in(
        user,
        project,
        annotations.filter(**{path: value for path, value in narrowing.items() if value is not None}),
    )
    status = filters.status
    if not status:
        approved = annotations.filter(status=AnnotationStatus.APPROVED).exists()
        status = AnnotationStatus.APPROVED if approved else AnnotationStatus.SUBMITTED
    if status != ALL:
        annotations = annotations.filter(status=status)
    return Scope(
        project=project,
        user=user,
        filters=filters,
        status=status,
        annotations=annotations,
        themes=themes,
        ancestors=_ancestors(themes),
        session=session,
        source=source,
    )
