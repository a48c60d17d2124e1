"""Reader benchmark: the first screen of a short and a long source (60 and 5,000 passages).

    .venv/bin/python bench/reader.py              # prints a Markdown table
    .venv/bin/python bench/reader.py --write      # and appends it to bench/RESULTS.md

A scratch SQLite database under /tmp is migrated and filled with one project, an annotator, a small
codebook and the two sources (a tag on every third passage, a span on every fifth). Each page is
fetched through Django's test client (the whole request: middleware, queries, template), the median
of several runs; the HTML is what a browser receives before its first paint. A later chunk is
timed too, as the browser fetches it when it comes into view."""

import argparse
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from run import fresh_sqlite

ROOT = Path(__file__).resolve().parent.parent
DATABASE = Path("/tmp/sco-annot-bench-reader.sqlite3")
SIZES = (60, 5000)
RUNS = 7


def setup() -> None:
    fresh_sqlite(DATABASE)


def fill(size: int, project, author, themes) -> int:
    from sources.models import Annotation, Passage, Source

    texts = [
        f"Section {n}" if n % 40 == 0 else f"Passage {n}: energy, security and the SCO in Central Asia."
        for n in range(size)
    ]
    source = Source.objects.create(
        project=project, title=f"{size} passages", text="\n\n".join(texts), sha256=f"{size:064x}"
    )
    offset, passages = 0, []
    for ordinal, text in enumerate(texts):
        kind = "heading" if text.startswith("Section") else "paragraph"
        passages.append(
            Passage(
                source=source, ordinal=ordinal, kind=kind, text=text, start=offset, end=offset + len(text)
            )
        )
        offset += len(text) + 2
    Passage.objects.bulk_create(passages)
    tags = []
    for passage in Passage.objects.filter(source=source, ordinal__gt=0):
        if passage.ordinal % 3 == 0:
            tags.append(Annotation(passage=passage, theme=themes[0], author=author))
        if passage.ordinal % 5 == 0:
            tags.append(
                Annotation(
                    passage=passage, theme=themes[1], author=author, start=0, end=7, quote=passage.text[:7]
                )
            )
    Annotation.objects.bulk_create(tags)
    return source.pk


def timed(client, url: str, headers: dict | None = None) -> tuple[float, int]:
    seconds, size = [], 0
    for _ in range(RUNS):
        began = time.perf_counter()
        response = client.get(url, headers=headers or {})
        seconds.append(time.perf_counter() - began)
        assert response.status_code == 200, response.status_code
        size = len(response.content)
    return statistics.median(seconds), size


def rendering_everything(client, url: str) -> tuple[float, int]:
    """The page as it was before chunks: every passage in one response (one chunk of any size)."""
    from sources.selectors import reader_chunks
    from sources.views import reader

    reader.chunks_of = lambda ordinals: reader_chunks.chunks_of(ordinals, size=len(ordinals) or 1)
    try:
        return timed(client, url)
    finally:
        reader.chunks_of = reader_chunks.chunks_of


def run() -> str:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from sources.models import Membership, Project, Theme

    project = Project.objects.create(slug="bench-reader", name="Reader benchmark")
    author = get_user_model().objects.create_user("reader", password="bench-reader")
    Membership.objects.create(project=project, user=author, role="annotator")
    themes = [
        Theme.objects.create(project=project, slug=slug, name=slug.title(), shortcut=key, order=n)
        for n, (slug, key) in enumerate([("energy", "e"), ("security", "s")])
    ]
    client = Client()
    client.force_login(author)
    rows = {}
    for size in SIZES:
        source_id = fill(size, project, author, themes)
        url = f"/p/{project.slug}/sources/{source_id}/"
        client.get(url)  # warm the template cache
        rows[size] = timed(client, url)
        if size == max(SIZES):
            chunk = timed(client, f"{url}?from=4000&to=4099", {"HX-Request": "true"})
            whole = rendering_everything(client, url)
    small, large = rows[min(SIZES)], rows[max(SIZES)]
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d} with `python bench/reader.py` (SQLite, median of {RUNS} requests"
        " through Django's test client, on the shared 2-CPU machine).",
        "",
        "| source | first screen ms | HTML bytes | passages rendered |",
        "|---|---:|---:|---:|",
        f"| {min(SIZES)} passages | {small[0] * 1000:.1f} | {small[1]:,} | {min(SIZES)} |",
        f"| {max(SIZES):,} passages | {large[0] * 1000:.1f} | {large[1]:,} | 100 |",
        f"| {max(SIZES):,} passages, all rendered at once (before) | {whole[0] * 1000:.1f} | {whole[1]:,} |"
        f" {max(SIZES):,} |",
        f"| a later chunk (100 passages) | {chunk[0] * 1000:.1f} | {chunk[1]:,} | 100 |",
        f"| ratio {max(SIZES):,} / {min(SIZES)} | {large[0] / small[0]:.2f} | {large[1] / small[1]:.2f} | |",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", action="store_true", help="append the table to bench/RESULTS.md")
    args = parser.parse_args()
    setup()
    table = run()
    print(table)
    if args.write:
        results = ROOT / "bench" / "RESULTS.md"
        with results.open("a", encoding="utf-8") as out:
            out.write(f"\n\n# Reader: first screen of a short and a long source\n\n{table}\n")
    DATABASE.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
