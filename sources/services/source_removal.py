"""Deleting a source, and bringing it back: the source, its passages and the work on them (tags,
evidence, reviews, anchors, session and claim links) are kept as rows in a RemovedSource, and restoring
writes them back under their old ids. Deleted tags and evidence also get their history entries."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from ..models import (
    Annotation,
    Claim,
    Discussion,
    Evidence,
    Passage,
    RemovedSource,
    Review,
    Session,
    Source,
    Theme,
    ThemeAnchor,
)
from .errors import ConflictError

RESTORED = "restored with its source"


def _querysets(source: Source) -> dict[str, models.QuerySet]:
    """What goes with a source, in the order it is written back."""
    return {
        "source": Source.objects.filter(pk=source.pk),
        "passage": Passage.objects.filter(source=source),
        "annotation": Annotation.objects.filter(passage__source=source),
        "evidence": Evidence.objects.filter(passage__source=source),
        "review": Review.objects.filter(
            Q(annotation__passage__source=source) | Q(evidence__passage__source=source)
        ),
        "anchor": ThemeAnchor.objects.filter(passage__source=source),
    }


MODELS = {
    "source": Source,
    "passage": Passage,
    "annotation": Annotation,
    "evidence": Evidence,
    "review": Review,
    "anchor": ThemeAnchor,
}


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def _rows(queryset: models.QuerySet) -> list[dict]:
    names = [f.attname for f in queryset.model._meta.concrete_fields]
    return [{k: _plain(v) for k, v in row.items()} for row in queryset.order_by("pk").values(*names)]


def removal_counts(source: Source) -> dict[str, int]:
    return {
        "tags": Annotation.objects.filter(passage__source=source).count(),
        "evidence": Evidence.objects.filter(passage__source=source).count(),
        "discussions": Discussion.objects.filter(passage__source=source).count(),
    }


@transaction.atomic
def source_delete(*, source: Source, user: AbstractBaseUser | None) -> RemovedSource:
    source = Source.objects.select_for_update().get(pk=source.pk)
    counts = removal_counts(source)
    if counts["discussions"]:
        raise ConflictError(
            f"'{source.title}' has {counts['discussions']} discussion thread(s) on its passages; "
            "settle and remove them before deleting the source."
        )
    querysets = _querysets(source)
    rows = {name: _rows(queryset) for name, queryset in querysets.items()}
    rows["sessions"] = list(source.sessions.values_list("id", flat=True))
    rows["claims"] = list(source.claims.values_list("id", flat=True))
    removed = RemovedSource.objects.create(
        project_id=source.project_id,
        source_id=source.pk,
        title=source.title,
        tag_count=counts["tags"],
        rows=rows,
        removed_by=user,
    )
    querysets["review"].delete()
    # Queryset deletes send each object's delete signal: every tag and evidence link gets its entry.
    querysets["evidence"].delete()
    querysets["annotation"].delete()
    source.delete()
    return removed


def _objects(name: str, rows: list[dict], drop: dict[str, set[int]]) -> list[models.Model]:
    """Model instances for `rows`, leaving out those whose required relation no longer exists and
    clearing optional ones (`drop` maps a field to the ids that are gone); a review without the tag or
    link it was about is left out."""
    model = MODELS[name]
    fields = {f.attname: f for f in model._meta.concrete_fields}
    objects = []
    for row in rows:
        values = {k: fields[k].to_python(v) for k, v in row.items() if k in fields}
        gone = [k for k, ids in drop.items() if values.get(k) in ids]
        if any(not fields[k].null or model is Review for k in gone):
            continue
        values.update(dict.fromkeys(gone))
        objects.append(model(**values))
    return objects


def _missing(model: type[models.Model], ids: set) -> set[int]:
    ids = {i for i in ids if i is not None}
    return ids - set(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))


@transaction.atomic
def source_restore(*, removed: RemovedSource, user: AbstractBaseUser | None) -> tuple[Source, int]:
    """Write the removed source back; returns it and how many of its tags came back (a tag whose theme
    or author has since been deleted cannot)."""
    removed = RemovedSource.objects.select_for_update().get(pk=removed.pk)
    rows = removed.rows
    sha256 = rows["source"][0]["sha256"]
    clash = Source.objects.filter(project=removed.project_id, sha256=sha256).first()
    if clash is not None or Source.objects.filter(pk=removed.source_id).exists():
        raise ConflictError(
            f"The project has this text again (source {clash.pk if clash else removed.source_id}); "
            "delete that one first to restore this one.",
            clash.pk if clash else removed.source_id,
        )
    written: dict[str, list[models.Model]] = {}
    tags = rows["annotation"]
    drop = {
        "theme_id": _missing(Theme, {r["theme_id"] for r in tags} | {r["theme_id"] for r in rows["anchor"]}),
        "author_id": _missing(get_user_model(), {r["author_id"] for r in tags + rows["evidence"]}),
        "session_id": _missing(Session, {r["session_id"] for r in tags}),
        "claim_id": _missing(Claim, {r["claim_id"] for r in rows["evidence"]}),
        "added_by_id": _missing(get_user_model(), {r["added_by_id"] for r in rows["source"]}),
    }
    for name in MODELS:
        objects = _objects(name, rows[name], drop)
        if name in ("annotation", "evidence"):
            bulk_create_with_history(objects, MODELS[name], default_user=user, default_change_reason=RESTORED)
        else:
            MODELS[name].objects.bulk_create(objects, batch_size=2000)
        written[name] = objects
        if name == "annotation":
            drop["annotation_id"] = {r["id"] for r in tags} - {o.pk for o in objects}
        if name == "evidence":
            drop["evidence_id"] = {r["id"] for r in rows["evidence"]} - {o.pk for o in objects}
        # Inserting stamps new times; each row keeps the ones it had (bulk_update leaves auto_now be).
        stamps = [f.name for f in MODELS[name]._meta.concrete_fields if f.name in ("created", "updated")]
        if stamps and objects:
            kept = {row["id"]: row for row in rows[name]}
            for obj in objects:
                for stamp in stamps:
                    setattr(obj, stamp, obj._meta.get_field(stamp).to_python(kept[obj.pk][stamp]))
            MODELS[name].objects.bulk_update(objects, stamps, batch_size=2000)
    source = written["source"][0]
    Session.sources.through.objects.bulk_create(
        [
            Session.sources.through(session_id=session, source_id=source.pk)
            for session in Session.objects.filter(pk__in=rows["sessions"]).values_list("pk", flat=True)
        ]
    )
    Claim.objects.filter(pk__in=rows["claims"], source__isnull=True).update(source=source)
    removed.delete()
    return source, len(written["annotation"])
