"""The peers' shape of data: N short distinct texts (~430 characters) with one span label each, as a
Label Studio JSON export and as doccano JSONL, the same texts and spans in both (fixed seed).

    .venv/bin/python bench/workload.py 10000 --out /tmp/sco-annot-bench
"""

import argparse
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

SEED = 14
LABELS = ["Energy", "Security", "Trade", "Terrorism", "Borders"]
_ENGLISH = "the organization cooperation security energy pipeline region border summit treaty policy trade"
_ENGLISH_MORE = "member states agreed to strengthen joint exercises against terrorism and separatism"
_RUSSIAN = "организация сотрудничество безопасность энергетика регион граница саммит договор торговля"
WORDS = {"en": f"{_ENGLISH} {_ENGLISH_MORE}".split(), "ru": _RUSSIAN.split()}
LENGTH = 430
WHEN = datetime(2026, 1, 1, tzinfo=UTC)


def tasks(count: int, seed: int = SEED) -> list[tuple[str, int, int, str]]:
    """(text, start, end, label) of `count` distinct texts; one in three is Russian."""
    rng = random.Random(seed)
    made = []
    for index in range(count):
        words = WORDS["ru" if index % 3 == 0 else "en"]
        text = f"Report {index}."
        while len(text) < LENGTH:
            text += " " + rng.choice(words)
        text += "."
        start = rng.randrange(0, len(text) - 40)
        start = text.index(" ", start) + 1
        end = text.index(" ", start)
        made.append((text, start, end, rng.choice(LABELS)))
    return made


def label_studio(items: list[tuple[str, int, int, str]]) -> list[dict]:
    """A Label Studio 1.x JSON export of text tasks, one `labels` result each."""
    exported = []
    for index, (text, start, end, label) in enumerate(items, start=1):
        moment = (WHEN + timedelta(seconds=index)).isoformat().replace("+00:00", "Z")
        exported.append(
            {
                "id": index,
                "data": {"text": text},
                "annotations": [
                    {
                        "id": index,
                        "completed_by": {"id": 1, "email": "annotator@example.org"},
                        "result": [
                            {
                                "value": {
                                    "start": start,
                                    "end": end,
                                    "text": text[start:end],
                                    "labels": [label],
                                },
                                "id": f"r{index}",
                                "from_name": "label",
                                "to_name": "text",
                                "type": "labels",
                                "origin": "manual",
                            }
                        ],
                        "was_cancelled": False,
                        "created_at": moment,
                        "updated_at": moment,
                        "lead_time": 3.5,
                    }
                ],
                "predictions": [],
                "meta": {},
                "created_at": moment,
                "updated_at": moment,
            }
        )
    return exported


def doccano_lines(items: list[tuple[str, int, int, str]]) -> list[str]:
    """doccano 1.x's JSONL export of sequence labelling."""
    return [
        json.dumps(
            {"id": index, "text": text, "label": [[start, end, label]], "Comments": []}, ensure_ascii=False
        )
        for index, (text, start, end, label) in enumerate(items, start=1)
    ]


def write(count: int, out: Path) -> tuple[Path, Path]:
    """Write tasks-N.json (Label Studio) and tasks-N.jsonl (doccano) into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    items = tasks(count)
    json_path, jsonl_path = out / f"tasks-{count}.json", out / f"tasks-{count}.jsonl"
    json_path.write_text(json.dumps(label_studio(items), ensure_ascii=False), encoding="utf-8")
    jsonl_path.write_text("\n".join(doccano_lines(items)) + "\n", encoding="utf-8")
    return json_path, jsonl_path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("count", type=int)
    parser.add_argument("--out", type=Path, default=Path("/tmp/sco-annot-bench"))
    options = parser.parse_args()
    for path in write(options.count, options.out):
        print(path)


if __name__ == "__main__":
    main()
