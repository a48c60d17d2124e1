"""Reading W3C Web Annotation (JSON-LD) back, as `formats.w3c` writes it: an `AnnotationCollection`
with its first page embedded, an `AnnotationPage`, a list of annotations or one annotation.

Tags (motivation `tagging`: the theme slug a `tagging` body, the note a `commenting` one), comments
(`commenting`) and replies (`replying`, targeting the IRI of the annotation they answer) are read;
other motivations are counted as skipped. A tag's or comment's target names its source by the
SHA-256 of the text (an RFC 6920 `ni:` URI or `urn:sha256:`) and its place by a
`TextPositionSelector` (code points into the source's text)."""

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from .bounded import ReadLimits, check_count, parse_json
from .records import FormatError, parse_timestamp

MOTIVATIONS = ("tagging", "commenting", "replying")


@dataclass(frozen=True, slots=True)
class WebAnnotation:
    """One annotation of the file. `kind`: a motivation of MOTIVATIONS, or another the project
    cannot hold. A tag's `value` is its theme slug, a comment's its text ("" when it has no body)."""

    where: str
    id: str
    kind: str
    author: str
    created: datetime
    modified: datetime
    value: str = ""
    note: str = ""
    sha256: str = ""
    start: int = 0
    end: int = 0
    replying_to: str = ""
    has_body: bool = True


def _items(document: object) -> list:
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        raise FormatError("file", "(json)", "expected an annotation, a page or a collection")
    kind = document.get("type")
    if kind == "AnnotationCollection":
        first = document.get("first")
        if not isinstance(first, dict):
            raise FormatError(
                "file", "first", "the collection's pages are not in the file: download it unpaged"
            )
        document = first
        kind = first.get("type")
    if kind == "AnnotationPage":
        items = document.get("items")
        if not isinstance(items, list):
            raise FormatError("file", "items", "expected a list of annotations")
        return items
    return [document]


def _sha256(where: str, source: object) -> str:
    """The hex checksum a target's source names: `ni:///sha-256;<base64url>` or `urn:sha256:<hex>`."""
    text = source.get("id") if isinstance(source, dict) else source
    if isinstance(text, str) and text.startswith("urn:sha256:") and len(text) == 75:
        return text[11:].lower()
    if isinstance(text, str) and text.startswith("ni:///sha-256;"):
        encoded = text[len("ni:///sha-256;") :]
        try:
            digest = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except (binascii.Error, ValueError):
            digest = b""
        if len(digest) == 32:
            return digest.hex()
    raise FormatError(where, "target.source", f"expected the source's SHA-256 as a ni: URI, got {text!r}")


def _position(where: str, target: object) -> tuple[str, int, int]:
    if not isinstance(target, dict):
        raise FormatError(where, "target", "expected the source and a TextPositionSelector")
    selectors = target.get("selector")
    selectors = selectors if isinstance(selectors, list) else [selectors]
    for selector in selectors:
        if isinstance(selector, dict) and selector.get("type") == "TextPositionSelector":
            start, end = selector.get("start"), selector.get("end")
            if type(start) is not int or type(end) is not int or not 0 <= start < end:
                raise FormatError(where, "target.selector", f"start {start!r} and end {end!r} are no span")
            return _sha256(where, target.get("source")), start, end
    raise FormatError(where, "target.selector", "no TextPositionSelector: the place cannot be found")


def _bodies(annotation: dict) -> dict[str, str]:
    """TextualBody values by purpose (the first of each; no purpose reads as `commenting`)."""
    bodies = annotation.get("body", [])
    bodies = bodies if isinstance(bodies, list) else [bodies]
    found: dict[str, str] = {}
    for body in bodies:
        if isinstance(body, dict) and isinstance(body.get("value"), str):
            purpose = body.get("purpose") or "commenting"
            found.setdefault(purpose if isinstance(purpose, str) else "commenting", body["value"])
        elif isinstance(body, str):
            found.setdefault("commenting", body)
    return found


def _author(annotation: dict) -> str:
    creator = annotation.get("creator")
    if isinstance(creator, list) and creator:
        creator = creator[0]
    if isinstance(creator, dict):
        creator = creator.get("nickname") or creator.get("name") or creator.get("id")
    return creator if isinstance(creator, str) else ""


def _moment(where: str, annotation: dict, field: str, default: datetime | None = None) -> datetime:
    value = annotation.get(field)
    if value is None and default is not None:
        return default
    try:
        return parse_timestamp(value)
    except (TypeError, ValueError) as exc:
        raise FormatError(where, field, f"not an ISO 8601 timestamp: {value!r}") from exc


def _annotation(where: str, annotation: object) -> WebAnnotation:
    if not isinstance(annotation, dict):
        raise FormatError(where, "(annotation)", "expected an object")
    motivation = annotation.get("motivation")
    if isinstance(motivation, list):
        motivation = next((m for m in motivation if m in MOTIVATIONS), motivation[0] if motivation else "")
    motivation = str(motivation or "").removeprefix("oa:")
    created = _moment(where, annotation, "created")
    common = {
        "where": where,
        "id": str(annotation.get("id") or ""),
        "kind": motivation,
        "author": _author(annotation),
        "created": created,
        "modified": _moment(where, annotation, "modified", created),
    }
    if motivation not in MOTIVATIONS:
        return WebAnnotation(**common)
    bodies = _bodies(annotation)
    if motivation != "tagging" and bodies and not next(iter(bodies.values())).strip():
        raise FormatError(where, "body", "a comment needs text")
    if motivation == "replying":
        target = annotation.get("target")
        target = target.get("id") if isinstance(target, dict) else target
        if not isinstance(target, str) or not target:
            raise FormatError(where, "target", "a reply must target the annotation it answers, by its id")
        text = bodies.get("replying", bodies.get("commenting", ""))
        return WebAnnotation(**common, value=text, replying_to=target, has_body=bool(bodies))
    sha, start, end = _position(where, annotation.get("target"))
    if motivation == "tagging":
        if not bodies.get("tagging"):
            raise FormatError(where, "body", "a tag needs a TextualBody with purpose tagging (the theme)")
        return WebAnnotation(
            **common,
            value=bodies["tagging"],
            note=bodies.get("commenting", ""),
            sha256=sha,
            start=start,
            end=end,
        )
    return WebAnnotation(
        **common, value=bodies.get("commenting", ""), sha256=sha, start=start, end=end, has_body=bool(bodies)
    )


def read_w3c(data: bytes, limits: ReadLimits) -> Iterator[WebAnnotation]:
    try:
        document = parse_json(data.decode("utf-8-sig"), "file", "(json)", limits)
    except UnicodeDecodeError as exc:
        raise FormatError("file", "(encoding)", f"not UTF-8 text (invalid byte at {exc.start})") from exc
    items = _items(document)
    check_count(len(items), "file", "items", limits)
    for index, item in enumerate(items):
        yield _annotation(f"annotation {index}", item)
