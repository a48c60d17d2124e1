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
"""

import base64
import json
import uuid
from collections.abc import Iterable, Iterator
from itertools import islice

from .records import AnnotationRecord, Dataset, PassageBundle, format_timestamp

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


def annotation_json(bundle: PassageBundle, annotation: AnnotationRecord) -> dict:
    passage, text = bundle.passage, bundle.source.text
    start = passage.start + (annotation.start if annotation.start is not None else 0)
    end = passage.start + (annotation.end if annotation.end is not None else len(passage.text))
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
        "target": {
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
        },
    }


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _items(annotations: Iterable[tuple[PassageBundle, AnnotationRecord]]) -> Iterator[bytes]:
    parts: list[str] = []
    for index, (bundle, annotation) in enumerate(annotations):
        parts.append(("," if index else "") + _dump(annotation_json(bundle, annotation)))
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
    yield from _items(dataset.annotations())
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
    yield from _items(islice(dataset.annotations(), start, start + page_size))
    yield b"]}"
