"""Recommender training benchmark: fitting, cross-validating and applying both recommenders to a
project of 100,000 passages, as the background task does.

    .venv/bin/python bench/recommenders.py              # prints a Markdown table
    .venv/bin/python bench/recommenders.py --write      # and appends it to bench/RESULTS.md
    .venv/bin/python bench/recommenders.py --passages 20000

A scratch SQLite database under /tmp is migrated and filled with one project of five themes and
passages of English and Russian words (fixed seed); one passage in ten carries a tag, a span of its
theme's phrase. The floor is reading every passage's text from the database in the batches training
reads them in, measured in the same run: training is reported as a multiple of it. Peak memory is
the process's maximum RSS."""

import argparse
import random
import resource
import time
from datetime import UTC, datetime
from pathlib import Path

from run import fresh_sqlite

ROOT = Path(__file__).resolve().parent.parent
DATABASE = Path("/tmp/sco-annot-bench-recommenders.sqlite3")
THEMES = {
    "energy": ["gas pipelines", "нефтегазовые проекты"],
    "terrorism": ["joint exercises", "антитеррористический центр"],
    "expansion": ["full membership", "расширение организации"],
    "trade": ["free trade zone", "торговый оборот"],
    "security": ["border security", "региональная безопасность"],
}
WORDS = [
    "china",
    "russia",
    "central",
    "asia",
    "sco",
    "summit",
    "cooperation",
    "policy",
    "region",
    "states",
    "organization",
    "members",
    "influence",
    "strategy",
    "interests",
    "development",
    "dialogue",
    "beijing",
    "moscow",
    "astana",
    "bishkek",
    "tashkent",
    "китай",
    "россия",
    "центральная",
    "азия",
    "шос",
    "саммит",
    "сотрудничество",
    "политика",
    "регион",
    "государства",
    "организация",
    "интересы",
    "развитие",
    "диалог",
    "влияние",
    "стратегия",
]


def setup() -> None:
    fresh_sqlite(DATABASE)


def fill(count: int):
    from django.contrib.auth import get_user_model

    from sources.models import Annotation, AnnotationStatus, Passage, Project, Source, Theme

    rng = random.Random(16)
    project = Project.objects.create(slug="bench", name="Bench")
    author = get_user_model().objects.create(username="annotator")
    themes = {slug: Theme.objects.create(project=project, slug=slug, name=slug) for slug in THEMES}
    per_source = 1000
    for first in range(0, count, per_source):
        texts, chosen = [], []
        for _ in range(min(per_source, count - first)):
            words = rng.choices(WORDS, k=rng.randint(15, 40))
            theme = rng.choice(list(THEMES)) if rng.random() < 0.3 else None
            if theme:
                at = rng.randint(0, len(words))
                words[at:at] = rng.choice(THEMES[theme]).split()
            texts.append(" ".join(words).capitalize() + ".")
            chosen.append(theme)
        source = Source.objects.create(
            project=project, title=f"Source {first}", text="\n\n".join(texts), sha256=f"{first:064x}"
        )
        offset, passages = 0, []
        for ordinal, text in enumerate(texts):
            passages.append(
                Passage(source=source, ordinal=ordinal, text=text, start=offset, end=offset + len(text))
            )
            offset += len(text) + 2
        made = Passage.objects.bulk_create(passages)
        tags = []
        for passage, theme in zip(made, chosen, strict=True):
            if theme and rng.random() < 0.33:
                phrase = next(p for p in THEMES[theme] if p in passage.text.lower())
                start = passage.text.lower().index(phrase)
                tags.append(
                    Annotation(
                        passage=passage,
                        theme=themes[theme],
                        author=author,
                        start=start,
                        end=start + len(phrase),
                        quote=passage.text[start : start + len(phrase)],
                        status=AnnotationStatus.DRAFT,
                    )
                )
        Annotation.objects.bulk_create(tags)
    return project


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    setup()
    from sources.models import Annotation, Suggestion
    from sources.services.recommender_training import _batches, recommenders_train

    project = fill(args.passages)
    baseline = peak_mb()
    started = time.perf_counter()
    read = sum(len(batch) for batch in _batches(project))
    floor = time.perf_counter() - started
    started = time.perf_counter()
    report = recommenders_train(project=project)
    seconds = time.perf_counter() - started
    rows = [
        "| passages | tags | labelled | seconds | floor s | x floor | suggestions | peak MB | baseline MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {read:,} | {Annotation.objects.count():,} | {report.labelled:,} | {seconds:.1f} | {floor:.2f} | "
        f"{seconds / floor:.0f} | {Suggestion.objects.count():,} | {peak_mb():.0f} | {baseline:.0f} |",
    ]
    table = "\n".join(rows)
    print(table)
    if args.write:
        when = datetime.now(UTC).strftime("%Y-%m-%d")
        with (ROOT / "bench" / "RESULTS.md").open("a") as results:
            results.write(
                f"\n\n## Recommender training\n\nRun {when} with `python bench/recommenders.py` on SQLite "
                "(2 CPUs, shared): both recommenders fitted, cross-validated (5 folds per theme) and applied "
                "to every passage, suggestions stored, in one process. The floor is reading every passage's "
                "text in the same batches.\n\n" + table + "\n"
            )


if __name__ == "__main__":
    main()
