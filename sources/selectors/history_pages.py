"""The history page: one object's changes as readable before -> after rows, and what was deleted lately.

The rows come from `selectors.history` (the same entries the API serves); this module only names
things: theme, author, passage, claim and session ids become their names, with one query per kind of
thing named, whatever the number of entries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, Model, OuterRef, Q
from django.http import Http404

from ..models import (
    AnnotationStatus,
    Claim,
    Discussion,
    Passage,
    Project,
    Relation,
    Session,
    Source,
    Theme,
)
from .discussion_threads import threads_about
from .history import (
    HISTORY_MODELS,
    RESTORABLE,
    HistoryEntry,
    history_entries,
    history_records,
    project_id_of,
    tracked_values,
)
from .visibility import hidden_state

# The fields a reader cares about, in the order the page lists them; ids, versions and timestamps are
# bookkeeping and stay out of the diff.
SHOWN: dict[str, list[str]] = {
    "annotation": ["theme", "span", "quote", "note", "status", "author", "passage", "session"],
    "evidence": ["relation", "claim", "passage", "annotation", "note", "status", "author"],
    "claim": ["text", "source", "author"],
    "theme": ["name", "slug", "description", "color", "parent", "shortcut", "order"],
    "comment": ["text", "quote", "passage", "reply_to", "author", "session", "resolved", "deleted"],
}
NAMED = {  # field -> the kind of thing its id names
    "theme": "theme",
    "parent": "theme",
    "author": "user",
    "passage": "passage",
    "claim": "claim",
    "session": "session",
    "source": "source",
}
CHOICES = {"status": AnnotationStatus, "relation": Relation}
NOUNS = {
    "annotation": "tag",
    "evidence": "evidence link",
    "claim": "claim",
    "theme": "theme",
    "comment": "comment",
}


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: str | None
    after: str | None


@dataclass
class HistoryRow:
    entry: HistoryEntry
    changes: list[FieldChange]
    restore: str  # "undo" a deletion, restore this "version", or "" for the current version


@dataclass(frozen=True)
class PassagePlace:
    source_id: int
    ordinal: int
    label: str


@dataclass
class ObjectHistory:
    model: str
    object_id: int
    exists: bool
    title: str
    detail: str
    place: PassagePlace | None
    rows: list[HistoryRow]
    discussions: list[Discussion] = field(default_factory=list)
    author_id: int | None = None  # whose work it is (themes have no author)

    @property
    def noun(self) -> str:
        return NOUNS[self.model]


@dataclass
class Names:
    """Display names of the things history rows point at, by kind and id."""

    by_kind: dict[str, dict[int, str]]
    places: dict[int, PassagePlace]

    def of(self, name: str, value: Any) -> str:
        if value is None or value == "":
            return ""
        if name in CHOICES:
            try:
                return str(CHOICES[name](value).label)
            except ValueError:
                return str(value)
        if name == "annotation":
            return f"tag #{value}"
        kind = NAMED.get(name)
        if kind is None:
            return str(value)
        found = self.by_kind.get(kind, {}).get(value)
        return found if found is not None else f"{kind} #{value} (deleted)"


def names_for(states: Iterable[dict[str, Any]]) -> Names:
    """One query per kind of thing the states name (themes, users, passages, claims, sessions, sources)."""
    ids: dict[str, set[int]] = defaultdict(set)
    for state in states:
        for name, kind in NAMED.items():
            if state.get(name) is not None:
                ids[kind].add(state[name])
    by_kind: dict[str, dict[int, str]] = {}
    places: dict[int, PassagePlace] = {}
    if ids["theme"]:
        by_kind["theme"] = dict(Theme.objects.filter(pk__in=ids["theme"]).values_list("pk", "name"))
    if ids["user"]:
        users = get_user_model().objects.filter(pk__in=ids["user"])
        by_kind["user"] = dict(users.values_list("pk", "username"))
    if ids["passage"]:
        rows = Passage.objects.filter(pk__in=ids["passage"]).values_list(
            "pk", "source_id", "ordinal", "source__title"
        )
        for pk, source_id, ordinal, title in rows:
            places[pk] = PassagePlace(source_id, ordinal, f"passage {ordinal} of “{title}”")
        by_kind["passage"] = {pk: place.label for pk, place in places.items()}
    if ids["claim"]:
        by_kind["claim"] = {
            pk: f"“{text[:120]}”"
            for pk, text in Claim.objects.filter(pk__in=ids["claim"]).values_list("pk", "text")
        }
    if ids["session"]:
        by_kind["session"] = dict(Session.objects.filter(pk__in=ids["session"]).values_list("pk", "name"))
    if ids["source"]:
        by_kind["source"] = dict(Source.objects.filter(pk__in=ids["source"]).values_list("pk", "title"))
    return Names(by_kind, places)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else ""


def _shown_state(model: str, state: dict[str, Any] | None) -> dict[str, Any] | None:
    """The state with an annotation's offsets read as one "span" field, a comment's times as text."""
    if state is None or model not in {"annotation", "comment"}:
        return state
    shown = dict(state)
    if model == "comment":
        shown["reply_to"] = f"comment #{state['parent']}" if state.get("parent") else ""
        shown["resolved"] = _when(state.get("resolved_at"))
        shown["deleted"] = _when(state.get("deleted"))
        return shown
    start, end = state.get("start"), state.get("end")
    shown["span"] = "whole passage" if start is None else f"characters {start} to {end}"
    return shown


def _changes(model: str, entry: HistoryEntry, state: dict[str, Any], names: Names) -> list[FieldChange]:
    before, after = _shown_state(model, entry.before), _shown_state(model, entry.after)
    fields = SHOWN[model]
    if entry.action == "deleted":
        gone = before or _shown_state(model, state) or {}
        return [FieldChange(f, names.of(f, gone.get(f)), None) for f in fields if names.of(f, gone.get(f))]
    if before is None:  # created (or the oldest entry kept): what it was made with
        return [FieldChange(f, None, names.of(f, after.get(f))) for f in fields if names.of(f, after.get(f))]
    return [
        FieldChange(f, names.of(f, before.get(f)), names.of(f, after.get(f)))
        for f in fields
        if before.get(f) != after.get(f)
    ]


def _describe(model: str, state: dict[str, Any], names: Names) -> tuple[str, str]:
    """A title for the object, and a line of detail (its quote or text)."""
    if model == "annotation":
        title = f"{names.of('theme', state['theme'])} tag by {names.of('author', state['author'])}"
        return title, state.get("quote") or ""
    if model == "evidence":
        title = f"{names.of('relation', state['relation'])} evidence for {names.of('claim', state['claim'])}"
        return title, ""
    if model == "claim":
        return "Claim", state["text"]
    if model == "comment":
        kind = "Reply" if state.get("parent") else "Comment"
        return f"{kind} by {names.of('author', state['author'])}", state.get("text") or ""
    return f"Theme {state['name']}", state.get("description") or ""


def object_history(
    user: AbstractBaseUser, project: Project, role: str | None, model: str, object_id: int
) -> ObjectHistory:
    """Every change to one object of the project, newest first; 404 when it has no history here."""
    if model not in HISTORY_MODELS:
        raise Http404(f"No history for '{model}'; use one of {', '.join(HISTORY_MODELS)}.")
    records = history_records(model, object_id)
    if not records or project_id_of(model, records[0]) != project.pk:
        raise Http404("No history for this object in this project.")
    newest = tracked_values(HISTORY_MODELS[model], records[0])
    if hidden_state(user, role, model, newest):
        raise Http404("No history for this object in this project.")
    entries = history_entries(model, records)
    states = [tracked_values(HISTORY_MODELS[model], record) for record in records]
    names = names_for(states)
    exists = entries[0].action != "deleted"
    rows = []
    for index, (entry, state) in enumerate(zip(entries, states, strict=True)):
        restore = "version" if index else ("" if exists else "undo")
        if model not in RESTORABLE:
            restore = ""
        rows.append(HistoryRow(entry, _changes(model, entry, state, names), restore))
    title, detail = _describe(model, newest, names)
    place = names.places.get(newest.get("passage")) if "passage" in newest else None
    history = ObjectHistory(
        model, object_id, exists, title, detail, place, rows, author_id=newest.get("author")
    )
    if model == "annotation":
        history.discussions = list(threads_about(user, newest["passage"], newest["theme"]))
    return history


@dataclass(frozen=True)
class Deleted:
    model: str
    object_id: int
    at: datetime
    username: str | None
    label: str

    @property
    def noun(self) -> str:
        return NOUNS[self.model]


DELETED_SCOPE = {
    "annotation": "passage__source__project",
    "evidence": "passage__source__project",
    "claim": "project",
    "theme": "project",
}


def recently_deleted(
    project: Project, limit: int = 12, author: AbstractBaseUser | None = None
) -> list[Deleted]:
    """What was deleted in the project lately and is still gone, newest first, per kind of object;
    with `author`, only their annotations, evidence links and claims (what they may bring back)."""
    found: list[tuple[str, Model]] = []
    for model_name, scope in DELETED_SCOPE.items():
        model = HISTORY_MODELS[model_name]
        if author is not None and model_name == "theme":
            continue
        mine = Q(author=author) if author is not None else Q()
        rows = (
            model.history.filter(Q(**{scope: project}), mine, history_type="-")
            .exclude(Exists(model.objects.filter(pk=OuterRef("id"))))
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[: limit * 2]
        )
        seen: set[int] = set()
        for record in rows:
            if record.id not in seen and len(seen) < limit:
                seen.add(record.id)
                found.append((model_name, record))
    states = [tracked_values(HISTORY_MODELS[m], r) for m, r in found]
    names = names_for(states)
    items = []
    for (model_name, record), state in zip(found, states, strict=True):
        title, detail = _describe(model_name, state, names)
        where = names.of("passage", state["passage"]) if "passage" in state else ""
        label = " · ".join(part for part in [title, f"“{detail[:80]}”" if detail else "", where] if part)
        user = record.history_user
        items.append(
            Deleted(model_name, record.id, record.history_date, user.username if user else None, label)
        )
    items.sort(key=lambda item: item.at, reverse=True)
    return items
