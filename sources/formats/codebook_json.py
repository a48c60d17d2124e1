"""The project's own codebook format: JSON with each theme's rules and anchor examples.

    {"format": "sco-annot-codebook", "version": 1, "themes": [
      {"slug", "name", "description", "include", "exclude", "color", "parent", "shortcut", "order",
       "anchors": [{"source": <sha256 of the source text>, "passage": <ordinal>, "start", "end",
                    "quote", "note"}]}]}

Parents are named by slug and come before their children; anchors name their passage by the
source's text hash and the passage's ordinal, so they resolve in any project holding the same text."""

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field

from .records import FormatError

FORMAT = "sco-annot-codebook"
VERSION = 1
MAX_THEMES = 5000
TEXT_FIELDS = ("slug", "name", "description", "include", "exclude", "color", "parent", "shortcut")


@dataclass(frozen=True)
class AnchorRecord:
    source: str
    passage: int
    start: int | None = None
    end: int | None = None
    quote: str = ""
    note: str = ""


@dataclass(frozen=True)
class CodebookTheme:
    slug: str
    name: str
    description: str = ""
    include: str = ""
    exclude: str = ""
    color: str = "#4c6ef5"
    parent: str | None = None
    shortcut: str = ""
    order: int = 0
    anchors: tuple[AnchorRecord, ...] = field(default=())


def export_codebook_json(themes: Iterable[CodebookTheme]) -> Iterator[bytes]:
    body = {"format": FORMAT, "version": VERSION, "themes": [asdict(theme) for theme in themes]}
    yield json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def _text(record: dict, name: str, where: str, required: bool = False) -> str:
    value = record.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise FormatError(where, name, "expected text" + (", not empty" if required else ""))
    return value


def _number(record: dict, name: str, where: str) -> int | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FormatError(where, name, "expected a whole number of at least 0")
    return value


def _anchor(record: object, where: str) -> AnchorRecord:
    if not isinstance(record, dict):
        raise FormatError(where, "anchors", "expected an object per anchor")
    passage = _number(record, "passage", where)
    if passage is None:
        raise FormatError(where, "passage", "expected the passage's ordinal")
    return AnchorRecord(
        source=_text(record, "source", where, required=True),
        passage=passage,
        start=_number(record, "start", where),
        end=_number(record, "end", where),
        quote=_text(record, "quote", where),
        note=_text(record, "note", where),
    )


def read_codebook_json(data: bytes) -> list[CodebookTheme]:
    try:
        body = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise FormatError("codebook", "(encoding)", f"not UTF-8 text (invalid byte at {exc.start})") from exc
    except (json.JSONDecodeError, RecursionError) as exc:
        raise FormatError("codebook", "(json)", f"not JSON: {exc}") from exc
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise FormatError("codebook", "format", f'expected an object with "format": "{FORMAT}"')
    records = body.get("themes")
    if not isinstance(records, list):
        raise FormatError("codebook", "themes", "expected a list of themes")
    if len(records) > MAX_THEMES:
        raise FormatError("codebook", "themes", f"more than {MAX_THEMES} themes")
    themes = []
    for index, record in enumerate(records):
        where = f"theme {index + 1}"
        if not isinstance(record, dict):
            raise FormatError(where, "(theme)", "expected an object")
        values = {name: _text(record, name, where, required=name in ("slug", "name")) for name in TEXT_FIELDS}
        anchors = record.get("anchors") or []
        if not isinstance(anchors, list):
            raise FormatError(where, "anchors", "expected a list")
        themes.append(
            CodebookTheme(
                **{**values, "color": values["color"] or "#4c6ef5", "parent": values["parent"] or None},
                order=_number(record, "order", where) or 0,
                anchors=tuple(_anchor(anchor, where) for anchor in anchors),
            )
        )
    return themes
