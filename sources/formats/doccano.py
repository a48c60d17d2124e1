"""doccano exports, read into LabelledTexts: JSONL (one JSON object per line) or a JSON array of the
same objects (doccano's JSON export, pretty-printed or not), each with `text` and any of

- `label` (or `labels`) as a list of class names: text classification, a whole-text tag each;
- `label` as a list of `[start, end, name]` spans: sequence labelling;
- `entities` as a list of `{"start_offset", "end_offset", "label"}` (doccano 1.x) or of
  `[start, end, name]`;
- `cats`, classes as a list of names or as `{name: score}` (spaCy's form: a class of the text when
  its score is true or at least 0.5): a whole-text tag each.

Offsets count Unicode code points (doccano is Python), end-exclusive."""

import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from .bounded import ReadLimits, check_count, json_lines, lines, parse_json
from .records import FormatError, LabelDraft, LabelledText, span_problem


def _spans(items: list, where: str, field: str, text: str) -> Iterator[tuple[int | None, int | None, str]]:
    for index, item in enumerate(items):
        name = f"{field}[{index}]"
        if isinstance(item, str):
            yield None, None, item
            continue
        if isinstance(item, dict):
            item = [item.get("start_offset"), item.get("end_offset"), item.get("label")]
        if not (isinstance(item, list) and len(item) == 3):
            raise FormatError(where, name, f"expected a class name or [start, end, label], got {item!r}")
        start, end, label = item
        if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
            raise FormatError(where, name, f"start and end must be numbers, got {start!r}, {end!r}")
        if not isinstance(label, str):
            raise FormatError(where, name, f"the label must be a name, got {label!r}")
        problem = span_problem(start, end, len(text), "the example's text")
        if problem is not None:
            raise FormatError(where, name, problem[1])
        yield start, end, label


# A file that opens an array, or an object on a line of its own, is one JSON value over many lines.
_ONE_VALUE = re.compile(r"\s*(?:\[|\{[ \t\r]*\n)")


def _scores_high(score: object) -> bool:
    return isinstance(score, int | float) and not isinstance(score, bool) and score >= 0.5


def _classes(value: object, where: str) -> list[str]:
    if isinstance(value, dict):
        return [str(name) for name, score in value.items() if score is True or _scores_high(score)]
    if isinstance(value, list) and all(isinstance(name, str) for name in value):
        return value
    raise FormatError(where, "cats", "expected a list of class names or {name: score}")


def _example(data: object, where: str, limits: ReadLimits) -> LabelledText:
    if not isinstance(data, dict):
        raise FormatError(where, "(line)", "expected a JSON object")
    text = data.get("text")
    if not isinstance(text, str):
        raise FormatError(where, "text", "expected the example's text")
    author = data.get("user") if isinstance(data.get("user"), str) else None
    labels: list[LabelDraft] = []
    label_field = "labels" if "labels" in data and "label" not in data else "label"
    for field in (label_field, "entities", "cats"):
        items = data.get(field) or []
        if field == "cats":
            items = _classes(items, where)
        if not isinstance(items, list):
            raise FormatError(where, field, "expected a list")
        check_count(len(labels) + len(items), where, field, limits)
        labels += [
            LabelDraft(where=f"{where}, {field}", label=label, start=start, end=end, author=author)
            for start, end, label in _spans(items, where, field, text)
        ]
    relations = data.get("relations") or []
    skipped = tuple(
        ("doccano relation", f"{where}, relations[{index}]")
        for index in range(len(relations) if isinstance(relations, list) else 0)
    )
    return LabelledText(where=where, text=text, labels=tuple(labels), skipped=skipped)


def read_doccano(lines: Iterable[bytes | str], limits: ReadLimits) -> Iterator[LabelledText]:
    for where, data in json_lines(lines, limits):
        yield _example(data, where, limits)


def read_doccano_file(file: BinaryIO, limits: ReadLimits) -> Iterator[LabelledText]:
    """A doccano JSONL file, or one JSON value over many lines (an array of examples, as doccano's JSON
    export, or one pretty-printed example), told apart by the first line."""
    head = file.read(256).decode("utf-8-sig", errors="replace")
    file.seek(0)
    if not _ONE_VALUE.match(head):
        yield from read_doccano(lines(file, limits), limits)
        return
    examples = parse_json(file.read().decode("utf-8-sig"), "file", "(json)", limits)
    if isinstance(examples, dict):
        examples = [examples]
    if not isinstance(examples, list):
        raise FormatError("file", "(json)", "expected a list of examples")
    for index, data in enumerate(examples):
        yield _example(data, f"example {index}", limits)
