"""Undo: bring an annotation, evidence link, claim or theme back as it was in a history entry."""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from ..models import Annotation, Evidence
from ..selectors.history import RESTORED, history_model, tracked_values
from .annotations import check_session_unlocked, duplicate_of
from .errors import ConflictError

# Evidence cascaded away with its claim is deleted in the same transaction, moments apart.
CASCADE_WINDOW = timedelta(seconds=5)


def _check_relations(model: type[Model], values: dict) -> None:
    missing = []
    for field in model._meta.concrete_fields:
        if not field.is_relation or values.get(field.name) is None:
            continue
        if not field.related_model._default_manager.filter(pk=values[field.name]).exists():
            if field.null and field.name in {"annotation", "source", "session"}:
                values[field.name] = None  # an optional link to something gone is dropped, not fatal
                continue
            missing.append(field.name)
    if missing:
        raise ValidationError(
            {
                name: f"The {name} this {model._meta.model_name} pointed to no longer exists."
                for name in missing
            }
        )


def _write_back(
    model_name: str, record: Model, user: AbstractBaseUser | None, reason: str = RESTORED
) -> Model:
    model = history_model(model_name)
    values = tracked_values(model, record)
    _check_relations(model, values)
    current = model.objects.select_for_update().filter(pk=record.id).first()
    latest_version = max(model.history.filter(id=record.id).values_list("version", flat=True), default=0)
    obj = current or model(pk=record.id)
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        setattr(obj, field.attname, values[field.name])
    obj.version = max(latest_version, current.version if current else 0) + 1
    if model is Annotation:
        if obj.session_id and user is not None:
            check_session_unlocked(obj.session, user, obj.author)
        clash = duplicate_of(obj)
        if clash is not None:
            who = clash.author.get_full_name() or clash.author.get_username()
            raise ConflictError(
                f"An identical tag exists now: {who} tagged this "
                f"{'span' if clash.start is not None else 'passage'} with {clash.theme.name}.",
                clash.pk,
            )
    obj._change_reason = reason
    obj._history_user = user
    obj.save()
    # auto_now_add stamped a new creation time on insert; the object keeps its original one.
    if "created" in values:
        model.objects.filter(pk=obj.pk).update(created=values["created"])
        newest = (
            model.history.filter(id=obj.pk).order_by("-history_id").values_list("history_id", flat=True)[:1]
        )
        model.history.filter(history_id__in=list(newest)).update(created=values["created"])
        obj.created = values["created"]
    return obj


@transaction.atomic
def history_restore(
    *, model_name: str, record: Model, user: AbstractBaseUser | None, reason: str = RESTORED
) -> Model:
    """Restore the object under its old id; restoring a deleted claim also restores the evidence
    deleted with it. Every restore is itself a history entry (action "restored", or the `reason`
    given, as an undo names the entry it takes back)."""
    obj = _write_back(model_name, record, user, reason)
    if model_name == "claim" and record.history_type == "-":
        cascaded = Evidence.history.filter(
            claim_id=record.id,
            history_type="-",
            history_date__gte=record.history_date - CASCADE_WINDOW,
            history_date__lte=record.history_date + CASCADE_WINDOW,
        )
        for evidence_record in cascaded:
            if not Evidence.objects.filter(pk=evidence_record.id).exists():
                _write_back("evidence", evidence_record, user, reason)
    return obj
