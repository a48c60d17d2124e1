"""W3C Web Annotation (JSON-LD, http://www.w3.org/ns/anno.jsonld).

An export is an `AnnotationCollection`. Without paging (the command line) its `first` embeds one
`AnnotationPage` holding every annotation. With a page size (the API), a collection larger than a
page names its `first` and `last` pages by IRI, and each page is its own document with `partOf`,
`startIndex`, `next` and `prev`, as the Web Annotation Protocol pages collections.

Each annotation: `id` (urn:uuid, from the annotation's stable key), `type`, `motivation`, `created`,
`modified`, `creator` (a Person with the username as nickname), bodies (`TextualBody` with purpose
`tagging` for the theme slug and `commenting` for the note) and a target whose `source` names the
source text by its SHA-256 (RFC 6920 `ni:` URI) with a `TextQuoteSelector` (exact, prefix, suffix)
and a `TextPositionSelector` whose start/end count Unicode code points into the source's full text,
end-exclusive (the passage's start plus the span's).

Comments on passages follow each passage's tags: a thread's first comment has motivation
`commenting`, a `TextualBody` with the text and the same kind of target as a tag (the span, or the
whole passage); a reply has motivation `replying` and targets the IRI of the comment it answers
(as the Web Annotation model's `oa:replying` does). A comment deleted but kept for its replies has no
body. `modified` is when a comment's text was last edited.
"""

import base64
import json
import uuid
from collections.abc import Iterable, Iterator
from itertools import islice

from .records import AnnotationRecord, Dataset, PassageBundle, PassageCommentRecord, format_timestamp

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://sco-annot.invalid/w3c")
CONTEXT_CHARS = 32
ITEMS_PER_CHUNK = 500


def source_iri(sha256: str) -> str:
    digest = base64.urlsafe_b64encode(bytes.fromhex(sha256)).rstrip(b"=").decode("ascii")
    return f"ni:///sha-256;{digest}"


def annotation_iri(bundle: PassageBundle, annotation: AnnotationRecord) -> str:
    key = "|".join(str(part) for part in (bundle.source.sha256, bundle.passage.ordinal, *annotation.key))
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, key)}"


def comment_iri(bundle: PassageBundle, comment: PassageCommentRecord) -> str:
    key = "|".join(
        str(part)
        for part in (bundle.source.sha256, bundle.passage.ordinal, "comment", comment.author, comment.created)
    )
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, key)}"


def _target(bundle: PassageBundle, span_start: int | None, span_end: int | None) -> dict:
    """The source, with a quote and a position selector: the span of the passage, or all of it."""
    passage, text = bundle.passage, bundle.source.text
    start = passage.start + (span_start if span_start is not None else 0)
    end = passage.start + (span_end if span_end is not None else len(passage.text))
    return {
        "source": source_iri(bundle.source.sha256),
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": text[start:end],
                "prefix": text[max(0, start - CONTEXT_CHARS) : start],
                "suffix": text[end : end + CONTEXT_CHARS],
            },
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }


def annotation_json(bundle: PassageBundle, annotation: AnnotationRecord) -> dict:
    bodies = [{"type": "TextualBody", "purpose": "tagging", "value": annotation.theme}]
    if annotation.note:
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": annotation.note})
    return {
        "@context": CONTEXT,
        "id": annotation_iri(bundle, annotation),
        "type": "Annotation",
        "motivation": "tagging",
        "created": format_timestamp(annotation.created),
        "modified": format_timestamp(annotation.updated),
        "creator": {"type": "Person", "nickname": annotation.author},
        "body": bodies,
        "target": _target(bundle, annotation.start, annotation.end),
    }


def comment_json(bundle: PassageBundle, index: int) -> dict:
    """The passage's `index`-th comment: a thread's first `commenting` its span or passage, a reply
    `replying` to the comment it answers."""
    comment = bundle.comments[index]
    reply = comment.reply_to is not None
    document = {
        "@context": CONTEXT,
        "id": comment_iri(bundle, comment),
        "type": "Annotation",
        "motivation": "replying" if reply else "commenting",
        "created": format_timestamp(comment.created),
        "modified": format_timestamp(comment.edited or comment.created),
        "creator": {"type": "Person", "nickname": comment.author},
    }
    if comment.deleted is None:
        purpose = "replying" if reply else "commenting"
        document["body"] = [{"type": "TextualBody", "purpose": purpose, "value": comment.text}]
    if reply:
        document["target"] = comment_iri(bundle, bundle.comments[comment.reply_to])
    else:
        document["target"] = _target(bundle, comment.start, comment.end)
    return document


def entries(dataset: Dataset) -> Iterator[dict]:
    """Every annotation of the collection in order: each passage's tags, then its comments."""
    for bundle in dataset.bundles:
        for annotation in bundle.annotations:
            yield annotation_json(bundle, annotation)
        for index in range(len(bundle.comments)):
            yield comment_json(bundle, index)


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _items(documents: Iterable[dict]) -> Iterator[bytes]:
    parts: list[str] = []
    for index, document in enumerate(documents):
        parts.append(("," if index else "") + _dump(document))
        if len(parts) >= ITEMS_PER_CHUNK:
            yield "".join(parts).encode("utf-8")
            parts.clear()
    yield "".join(parts).encode("utf-8")


def _page_iri(collection: str, page: int) -> str:
    return f"{collection}{'&' if '?' in collection else '?'}page={page}"


def _collection_head(dataset: Dataset, collection: str, total: int) -> dict:
    return {
        "@context": CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": dataset.name,
        "total": total,
    }


def export_w3c(
    dataset: Dataset, *, total: int, collection: str, page_size: int | None = None
) -> Iterator[bytes]:
    """The collection document; with `page_size` and more than a page of annotations, pages are linked,
    not embedded (fetch them with `export_w3c_page`)."""
    head = _collection_head(dataset, collection, total)
    if page_size is not None and total > page_size:
        last = max(0, (total - 1) // page_size)
        head.update({"first": _page_iri(collection, 0), "last": _page_iri(collection, last)})
        yield _dump(head).encode("utf-8")
        return
    page = {"id": _page_iri(collection, 0), "type": "AnnotationPage", "partOf": collection, "startIndex": 0}
    yield (_dump(head)[:-1] + ',"first":' + _dump(page)[:-1] + ',"items":[').encode("utf-8")
    yield from _items(entries(dataset))
    yield b"]}}"


def export_w3c_page(
    dataset: Dataset, *, total: int, collection: str, page: int, page_size: int
) -> Iterator[bytes]:
    start = page * page_size
    last = max(0, (total - 1) // page_size)
    document = {
        "@context": CONTEXT,
        "id": _page_iri(collection, page),
        "type": "AnnotationPage",
        "partOf": {"id": collection, "type": "AnnotationCollection", "label": dataset.name, "total": total},
        "startIndex": start,
    }
    if page > 0:
        document["prev"] = _page_iri(collection, page - 1)
    if page < last:
        document["next"] = _page_iri(collection, page + 1)
    yield (_dump(document)[:-1] + ',"items":[').encode("utf-8")
    yield from _items(islice(entries(dataset), start, start + page_size))
    yield b"]}"
