"""doccano JSONL exports, read into LabelledTexts: one JSON object per line with `text` and either

- `label` (or `labels`) as a list of class names: text classification, a whole-text tag each;
- `label` as a list of `[start, end, name]` spans: sequence labelling;
- `entities` as a list of `{"start_offset", "end_offset", "label"}` (doccano 1.x).

Offsets count Unicode code points (doccano is Python), end-exclusive."""

from collections.abc import Iterable, Iterator

from .bounded import ReadLimits, check_count, json_lines
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


def read_doccano(lines: Iterable[bytes | str], limits: ReadLimits) -> Iterator[LabelledText]:
    for where, data in json_lines(lines, limits):
        if not isinstance(data, dict):
            raise FormatError(where, "(line)", "expected a JSON object")
        text = data.get("text")
        if not isinstance(text, str):
            raise FormatError(where, "text", "expected the example's text")
        field = next((f for f in ("label", "labels", "entities") if f in data), "label")
        items = data.get(field) or []
        if not isinstance(items, list):
            raise FormatError(where, field, "expected a list")
        check_count(len(items), where, field, limits)
        author = data.get("user") if isinstance(data.get("user"), str) else None
        labels = tuple(
            LabelDraft(where=f"{where}, {field}", label=label, start=start, end=end, author=author)
            for start, end, label in _spans(items, where, field, text)
        )
        yield LabelledText(where=where, text=text, labels=labels)
