"""Label Studio JSON export (a list of tasks) of text tasks, read into LabelledTexts.

    [{"id": 1, "data": {"text": "..."},
      "annotations": [{"completed_by": {"email": "..."} or 3, "created_at": "...", "updated_at": "...",
                       "was_cancelled": false,
                       "result": [{"type": "labels", "value": {"start": 0, "end": 5, "text": "...",
                                                               "labels": ["Theme"]}},
                                  {"type": "choices", "value": {"choices": ["Theme"]}},
                                  {"type": "textarea", "value": {"text": ["a note"]}}]}]}]

`labels` results become span tags, `choices` whole-text tags, a `textarea` becomes the note of the
task's tags; other results (rectangles, ratings...) are reported as skipped. A task's `predictions`
(a model's `labels` and `choices` results, each scored by its own `score`, else the prediction's,
else 1) become suggestions; their other results are reported as skipped. A task
of an image, audio, video or web page (its data a URL) is refused. Offsets are taken as Unicode code
points; where the browser counted UTF-16 units instead (text with characters outside the BMP, such
as emoji), the quoted `text` shows it and the offsets are converted. Cancelled annotations are skipped."""

import re
from collections.abc import Iterator

from .bounded import ReadLimits, check_count, parse_json
from .records import (
    FormatError,
    LabelDraft,
    LabelledText,
    PredictionDraft,
    parse_timestamp,
    span_problem,
)

_URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://|/data/)\S*", re.IGNORECASE)


def utf16_to_code_points(text: str, offset: int) -> int:
    units = 0
    for index, char in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def _span(text: str, value: dict, where: str, field: str) -> tuple[int, int]:
    start, end = value.get("start"), value.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
        raise FormatError(
            where, f"{field}.start", f"expected numbers for start and end, got {start!r}, {end!r}"
        )
    quoted = value.get("text")
    if quoted is not None and not isinstance(quoted, str):
        raise FormatError(where, f"{field}.text", f"expected the quoted text, got {quoted!r}")
    fits = 0 <= start <= end <= len(text) and (quoted is None or text[start:end] == quoted)
    if not fits and start >= 0 and end >= 0:
        s, e = utf16_to_code_points(text, start), utf16_to_code_points(text, end)
        if quoted is not None and text[s:e] == quoted:
            start, end = s, e
        elif quoted is not None:
            raise FormatError(where, f"{field}.text", f"{quoted!r} is not the text at {start}:{end}")
    problem = span_problem(start, end, len(text), "the task's text")
    if problem is not None:
        raise FormatError(where, f"{field}.{problem[0]}", problem[1])
    return start, end


def _author(completed_by: object) -> str | None:
    if isinstance(completed_by, dict):
        for key in ("username", "email"):
            if isinstance(completed_by.get(key), str):
                return completed_by[key]
    return None


def _moment(annotation: dict, name: str, where: str):
    value = annotation.get(name)
    if value is None:
        return None
    try:
        return parse_timestamp(str(value))
    except ValueError as exc:
        raise FormatError(where, name, f"not a timestamp: {value!r}") from exc


def _is_note(result: object) -> bool:
    return (
        isinstance(result, dict)
        and result.get("type") == "textarea"
        and isinstance(result.get("value"), dict)
    )


def _note(result: dict, where: str, field: str) -> str:
    """A textarea's text: a list of strings (one per line typed), or one string."""
    text = result["value"].get("text") or []
    if isinstance(text, str):
        return text
    if not isinstance(text, list) or not all(isinstance(line, str) for line in text):
        raise FormatError(where, f"{field}.value.text", f"expected a list of strings, got {text!r:.80}")
    return " ".join(text)


def _results(holder: dict, where: str, limits: ReadLimits) -> Iterator[tuple[str, str, dict]]:
    """An annotation's or prediction's results: (field, type, result)."""
    results = holder.get("result") or []
    if not isinstance(results, list):
        raise FormatError(where, "result", "expected a list")
    check_count(len(results), where, "result", limits)
    for index, result in enumerate(results):
        if not isinstance(result, dict):
            raise FormatError(where, f"result[{index}]", "expected an object")
        yield f"result[{index}]", result.get("type"), result


def _labelled(
    text: str, kind: str, result: dict, where: str, field: str
) -> tuple[list[str], int | None, int | None]:
    """The names of a `labels` or `choices` result, and its span (None for a choice: the whole text)."""
    value = result.get("value")
    if not isinstance(value, dict):
        raise FormatError(where, f"{field}.value", "expected an object")
    names = value.get(kind)
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise FormatError(where, f"{field}.value.{kind}", "expected a list of names")
    if kind == "choices":
        return names, None, None
    return names, *_span(text, value, where, f"{field}.value")


def _score(holder: dict, where: str, field: str, default: float) -> float:
    score = holder.get("score")
    if score is None:
        return default
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
        raise FormatError(where, field, f"expected a score from 0 to 1, got {score!r:.40}")
    return float(score)


def _predictions(
    text: str, task: dict, where: str, limits: ReadLimits
) -> tuple[list[PredictionDraft], list[tuple[str, str]]]:
    """A task's predictions as PredictionDrafts, and what of them is skipped as (kind, example)."""
    predictions = task.get("predictions") or []
    if not isinstance(predictions, list):
        raise FormatError(where, "predictions", "expected a list")
    drafts: list[PredictionDraft] = []
    skipped: list[tuple[str, str]] = []
    for p_index, prediction in enumerate(predictions):
        p_where = f"{where}, predictions[{p_index}]"
        if not isinstance(prediction, dict):
            raise FormatError(where, f"predictions[{p_index}]", "expected an object")
        overall = _score(prediction, p_where, "score", 1.0)
        for field, kind, result in _results(prediction, p_where, limits):
            if kind not in {"labels", "choices"}:
                skipped.append((f"Label Studio prediction '{kind}' result", f"{p_where}, {field}"))
                continue
            names, start, end = _labelled(text, kind, result, p_where, field)
            score = _score(result, p_where, f"{field}.score", overall)
            drafts.extend(PredictionDraft(f"{p_where}, {field}", name, start, end, score) for name in names)
        check_count(len(drafts), where, "predictions", limits)
    return drafts, skipped


# Keys under which Label Studio's templates put what is not text to read.
_MEDIA_KEYS = ("image", "audio", "video", "pdf", "url", "html", "timeseries", "ocr")


def _task_text(task: dict, where: str) -> str:
    data = task.get("data")
    if not isinstance(data, dict):
        raise FormatError(where, "data", "expected an object with the task's text")
    if isinstance(data.get("text"), str):
        return data["text"]
    media = next((key for key in _MEDIA_KEYS if key in data), None)
    strings = {key: value for key, value in data.items() if isinstance(value, str)}
    if media is None and len(strings) == 1:
        key, value = next(iter(strings.items()))
        if not _URL.fullmatch(value.strip()):
            return value
        media = key
    if media is not None:
        raise FormatError(
            where,
            f"data.{media}",
            f"a non-text task ({media}): only text tasks can be imported, as passages of text",
        )
    raise FormatError(where, "data.text", "a text task needs data.text")


def read_label_studio(data: bytes, limits: ReadLimits) -> Iterator[LabelledText]:
    try:
        tasks = parse_json(data.decode("utf-8-sig"), "file", "(json)", limits)
    except UnicodeDecodeError as exc:
        raise FormatError("file", "(json)", f"not a Label Studio JSON export: {exc}") from exc
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise FormatError("file", "(json)", "expected a list of tasks")
    for index, task in enumerate(tasks):
        if not isinstance(task, dict):
            raise FormatError(f"task {index}", "(task)", "expected an object")
        where = f"task {index} (id {task['id']})" if "id" in task else f"task {index}"
        text = _task_text(task, where)
        labels: list[LabelDraft] = []
        predictions, skipped = _predictions(text, task, where, limits)
        annotations = task.get("annotations") or []
        if not isinstance(annotations, list):
            raise FormatError(where, "annotations", "expected a list")
        for a_index, annotation in enumerate(annotations):
            if not isinstance(annotation, dict) or annotation.get("was_cancelled"):
                continue
            a_where = f"{where}, annotations[{a_index}]"
            author = _author(annotation.get("completed_by"))
            created = _moment(annotation, "created_at", a_where)
            updated = _moment(annotation, "updated_at", a_where) or created
            results = list(_results(annotation, a_where, limits))
            notes = [_note(r, a_where, field) for field, _, r in results if _is_note(r)]
            note = "\n".join(n for n in notes if n)
            for field, kind, result in results:
                if kind not in {"labels", "choices", "textarea"}:
                    skipped.append((f"Label Studio '{kind}' result", f"{a_where}, {field}"))
                if kind not in {"labels", "choices"}:
                    continue
                names, start, end = _labelled(text, kind, result, a_where, field)
                for name in names:
                    labels.append(
                        LabelDraft(
                            where=f"{a_where}, {field}",
                            label=name,
                            start=start,
                            end=end,
                            author=author,
                            created=created,
                            updated=updated,
                            note=note,
                        )
                    )
            check_count(len(labels), where, "annotations", limits)
        yield LabelledText(
            where=where,
            text=text,
            labels=tuple(labels),
            skipped=tuple(skipped),
            predictions=tuple(predictions),
        )
