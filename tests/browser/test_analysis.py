"""The analysis page on the demo, in a real browser: each chart is drawn with its table, the numbers
are those the database gives when counted another way (here, in Python), a co-occurrence cell opens
the passages behind it, and the PNG download is drawn in the browser. Also renders the README's
screenshot; set SCREENSHOT_DIR=docs/screenshots to refresh it."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sources.models import Annotation, Claim, Evidence, Source, Theme

from .test_review import run_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def under(project) -> dict[int, set[int]]:
    """Each theme id with the ids of itself and every theme below it."""
    parent = dict(Theme.objects.filter(project=project).values_list("pk", "parent_id"))
    below: dict[int, set[int]] = {pk: {pk} for pk in parent}
    for pk in parent:
        up = parent[pk]
        while up is not None:
            below[up].add(pk)
            up = parent[up]
    return below


def passages_with(project, theme_ids: set[int], source: Source | None = None) -> set[int]:
    tags = Annotation.objects.filter(passage__source__project=project, theme__in=theme_ids)
    if source is not None:
        tags = tags.filter(passage__source=source)
    return set(tags.values_list("passage_id", flat=True))


def table(page, name: str) -> list[list[str]]:
    return page.locator(f'table[data-table="{name}"] tbody tr').evaluate_all(
        "rows => rows.map(r => [...r.children].map(c => c.textContent.trim()))"
    )


def test_the_analysis_page_shows_the_demos_numbers_in_charts_and_tables(page, demo, login, tmp_path):
    run_session(demo)  # both annotators tag the expansion article, and submit
    out = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    login(page, "instructor")
    page.goto("/p/sco/")
    page.get_by_role("link", name="Analysis", exact=True).click()
    expect(page.get_by_role("heading", name="Analysis", exact=True)).to_be_visible()
    page.locator("#analysis-status").select_option("all")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url(re.compile(r"status=all"))

    below = under(demo)
    themes = list(Theme.objects.filter(project=demo))
    slugs = page.locator('table[data-table="matrix"] thead th').all_text_contents()[2:]
    by_slug = {t.slug: t for t in themes}
    for row in table(page, "matrix"):
        source = Source.objects.get(project=demo, title__startswith=row[0].rstrip("\u2026"))
        assert int(row[1]) == source.passages.count()
        expected = [len(passages_with(demo, below[by_slug[slug].pk], source)) for slug in slugs]
        assert [int(n) for n in row[2:]] == expected, row[0]
    names = {t.name: t for t in themes}
    for first, second, both, _ in table(page, "cooccurrence"):
        a, b = names[first], names[second]
        expected = passages_with(demo, below[a.pk]) & passages_with(demo, below[b.pk])
        assert int(both) == len(expected), (first, second)
    edges = sum(int(row[3]) for row in table(page, "claims"))
    assert edges == Evidence.objects.filter(claim__project=demo).count()
    assert page.locator('svg[data-chart="claims"] text', has_text="China uses the SCO").count() == 1
    assert (
        Claim.objects.filter(project=demo).count() == page.locator('svg[data-chart="claims"] circle').count()
    )
    timeline = sum(int(row[2]) for row in table(page, "timeline"))
    assert timeline == Annotation.objects.filter(passage__source__project=demo).count()
    for chart in ("matrix", "cooccurrence", "claims", "compare", "timeline"):
        svg = page.locator(f'svg[data-chart="{chart}"]')
        expect(svg).to_have_attribute("role", re.compile("^(img|group)$"))  # a group: its cells are links
        assert svg.locator("title").first.text_content()
    top = page.locator("#matrix").bounding_box()["y"] + page.evaluate("window.scrollY") - 16
    page.screenshot(
        path=out / "analysis.png", full_page=True, clip={"x": 0, "y": top, "width": 1280, "height": 1000}
    )

    # The passages behind a co-occurrence cell, one click away.
    evils, terrorism = by_slug["three-evils"], by_slug["terrorism"]
    cell = page.locator('svg[data-chart="cooccurrence"] a[href*="cell=three-evils%2Cterrorism"]').first
    cell.click()
    expect(page.locator("#passages h2")).to_have_text("Passages with three-evils and terrorism")
    expected = passages_with(demo, below[evils.pk]) & passages_with(demo, below[terrorism.pk])
    expect(page.locator("#passages li")).to_have_count(len(expected))

    # The PNG is drawn from the SVG in the browser.
    with page.expect_download() as download:
        page.locator("#matrix button[data-png]").click()
    png = Path(download.value.path()).read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 2000


def test_the_analysis_page_is_accessible(page, demo, login, accessible):
    login(page, "annotator1")
    page.goto("/p/sco/analysis/?status=all")
    expect(page.locator('svg[data-chart="matrix"]')).to_be_visible()
    accessible(page)


# Every label of the claim map as the browser lays it out: [text, x, y, width, height].
LABEL_BOXES = """svg => [...svg.querySelectorAll("text")].map(t => {
  const b = t.getBBox();
  return [t.textContent.trim(), b.x, b.y, b.width, b.height];
})"""
EDGE_SPANS = """svg => [...svg.querySelectorAll("path")].map(p => {
  const b = p.getBBox();
  return [b.x, b.x + b.width];
})"""
CLAIM = (
    "Beijing frames the SCO as a security community against terrorism, separatism and extremism, while "
    "Moscow reads it as a counterweight whose energy club and trade corridors serve Central Asia"
)


def wide_claim_map(project) -> tuple[int, int]:
    """50 claims of every length, with 500 evidence links to the passages of ten sources."""
    from django.contrib.auth.models import User

    from sources.models import Claim, Passage

    from ..factories import SourceFactory

    lead = User.objects.get(username="instructor")
    for n in range(8):
        SourceFactory(
            project=project,
            title=f"Source {n}: the Shanghai Cooperation Organisation and its neighbours, 2001-202{n}",
            paragraphs=[f"Paragraph {m} of source {n}." for m in range(12)],
        )
    Claim.objects.filter(project=project).delete()
    claims = Claim.objects.bulk_create(
        Claim(project=project, author=lead, text=f"{n}. {CLAIM[: 12 + (n * 37) % len(CLAIM)]}.")
        for n in range(50)
    )
    passages = list(Passage.objects.filter(source__project=project).order_by("source_id", "ordinal"))
    relations = ["supports", "contradicts", "qualifies"]
    links = [
        Evidence(
            claim=claim,
            passage=passages[(c * 37 + k * 11) % len(passages)],
            relation=relations[(c + k) % 3],
            author=lead,
            status="approved",
        )
        for c, claim in enumerate(claims)
        for k in range(10)
    ]
    Evidence.objects.bulk_create(links)
    return len(claims), len(links)


def test_the_claim_map_of_50_claims_and_500_links_keeps_every_label_apart_and_on_the_canvas(
    page, demo, login, tmp_path
):
    assert wide_claim_map(demo) == (50, 500)
    login(page, "instructor")
    page.goto("/p/sco/analysis/?status=all")
    svg = page.locator('svg[data-chart="claims"]')
    expect(svg).to_be_visible()
    out = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    svg.screenshot(path=out / "claim-map-50.png")
    width, height = (float(n) for n in svg.get_attribute("viewBox").split()[2:])
    assert svg.locator("circle").count() == 50
    boxes = svg.evaluate(LABEL_BOXES)
    for text, x, y, w, h in boxes:
        assert x >= 0 and x + w <= width and y >= 0 and y + h <= height, f"{text!r} leaves the canvas"
    for n, (first, x1, y1, w1, h1) in enumerate(boxes):
        for second, x2, y2, w2, h2 in boxes[n + 1 :]:
            apart = x1 + w1 <= x2 or x2 + w2 <= x1 or y1 + h1 <= y2 or y2 + h2 <= y1
            assert apart, f"{first!r} overlaps {second!r}"
    labels = [(x, x + w) for text, x, y, w, h in boxes if y > 44]  # below the legend and headings
    claims_end = max(right for left, right in labels if left < width / 2)
    sources_start = min(left for left, right in labels if left >= width / 2)
    edges = svg.evaluate(EDGE_SPANS)
    assert edges and all(claims_end < left and right < sources_start for left, right in edges)
    table_links = sum(int(row[3]) for row in table(page, "claims"))
    assert table_links == 500
