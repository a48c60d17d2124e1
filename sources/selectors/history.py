"""The change history of annotations, evidence links, claims, themes and comments on passages
(django-simple-history rows).

An entry's public id is "<model>-<history id>", since each model keeps its history in its own table.
Comments are read, not restored: their history shows writing, editing, resolving and deleting."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Model
from django.http import Http404

from ..models import Annotation, Claim, Comment, Evidence, Passage, Theme

HISTORY_MODELS: dict[str, type[Model]] = {
    "annotation": Annotation,
    "evidence": Evidence,
    "claim": Claim,
    "theme": Theme,
    "comment": Comment,
}
RESTORABLE = frozenset({"annotation", "evidence", "claim", "theme"})
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
RESTORED = "restored"


@dataclass(frozen=True)
class HistoryEntry:
    id: str
    model: str
    object_id: int
    action: str
    user: int | None
    username: str | None
    at: datetime
    reason: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def history_model(name: str) -> type[Model]:
    try:
        return HISTORY_MODELS[name]
    except KeyError:
        raise Http404(f"No history for '{name}'; use one of {', '.join(HISTORY_MODELS)}.") from None


def tracked_values(model: type[Model], record: Model) -> dict[str, Any]:
    """The tracked fields of a history row, keyed by the API's names (ids for relations)."""
    return {field.name: getattr(record, field.attname) for field in model._meta.concrete_fields}


def project_id_of(model_name: str, record: Model) -> int | None:
    """The project a (possibly deleted) object belonged to, from its history row; None for a comment
    of a disagreement thread (its history is its discussion's)."""
    if model_name in {"claim", "theme"}:
        return record.project_id
    if record.passage_id is None:
        return None
    # Passages are protected while annotations or evidence point at them, so the passage exists.
    return Passage.objects.filter(pk=record.passage_id).values_list("source__project_id", flat=True).first()


def history_records(model_name: str, object_id: int) -> list[Model]:
    model = history_model(model_name)
    return list(
        model.history.filter(id=object_id)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def history_entries(model_name: str, records: list[Model]) -> list[HistoryEntry]:
    """Entries newest first, each with the object's state before and after the change."""
    model = history_model(model_name)
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        action = ACTIONS[newer.history_type]
        if newer.history_change_reason == RESTORED:
            action = RESTORED
        state = tracked_values(model, newer)
        entries.append(
            HistoryEntry(
                id=f"{model_name}-{newer.history_id}",
                model=model_name,
                object_id=newer.id,
                action=action,
                user=newer.history_user_id,
                username=newer.history_user.username if newer.history_user else None,
                at=newer.history_date,
                reason=newer.history_change_reason or "",
                before=tracked_values(model, older) if older is not None else None,
                after=None if action == "deleted" else state,
            )
        )
    return entries


def history_record(entry_id: str) -> tuple[str, Model]:
    """Find a history row to restore by its public id; 404 when it does not exist (or is a comment's)."""
    model_name, _, raw_id = entry_id.partition("-")
    if model_name not in RESTORABLE:
        raise Http404("Only annotations, evidence links, claims and themes are restored from history.")
    model = history_model(model_name)
    if not raw_id.isdigit():
        raise Http404("No such history entry.")
    record = model.history.filter(history_id=int(raw_id)).first()
    if record is None:
        raise Http404("No such history entry.")
    return model_name, record
