"""Exports checked row by row against what was tagged: a CSV long enough to arrive in several chunks,
and W3C selectors whose prefix and suffix are the text around each span, not merely compatible with it."""

import csv
import hashlib
import io
import json

import pytest

from sources.formats.csvfile import ROWS_PER_CHUNK
from sources.formats.w3c import CONTEXT_CHARS
from sources.models import Annotation
from sources.services.exports import export_stream

from ..factories import ClaimFactory, EvidenceFactory, SourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db

ROWS = 2500
PASSAGES = 25


def _long_source(team):
    paragraphs = [
        f"Passage {n:02d}: " + "".join(chr(ord("a") + (n + k) % 26) for k in range(120))
        for n in range(PASSAGES)
    ]
    source = SourceFactory(project=team.project, title="A long article", paragraphs=paragraphs)
    source.sha256 = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
    source.save(update_fields=["sha256"])
    return source


def test_a_csv_of_2500_rows_has_each_tag_exactly_once_in_chunks_of_whole_rows(team):
    source = _long_source(team)
    passages = list(source.passages.order_by("ordinal"))
    themes = [ThemeFactory(project=team.project, slug=f"theme-{n}") for n in range(2)]
    per_passage = ROWS // PASSAGES
    Annotation.objects.bulk_create(
        Annotation(
            passage=passage,
            theme=themes[k % 2],
            author=team.annotator,
            start=k,
            end=k + 3,
            quote=passage.text[k : k + 3],
            note=f"row {passage.ordinal}-{k}",
        )
        for passage in passages
        for k in range(per_passage)
    )

    chunks = list(export_stream(project=team.project, format="csv", filters=None).chunks)
    # Streamed: one chunk per thousand rows (and the rest), each ending at the end of a row.
    assert len(chunks) == ROWS // ROWS_PER_CHUNK + 1
    assert all(chunk.endswith(b"\r\n") for chunk in chunks)
    # The header and a thousand rows, then a thousand rows, then the rest; the byte-order mark once.
    assert [chunk.count(b"\r\n") for chunk in chunks] == [1 + ROWS_PER_CHUNK, ROWS_PER_CHUNK, 500]
    assert b"".join(chunks).count("\ufeff".encode()) == 1
    rows = list(csv.DictReader(io.StringIO(b"".join(chunks).decode("utf-8-sig"), newline="")))

    assert len(rows) == ROWS
    expected = [
        (str(p.pk), p.text, f"theme-{k % 2}", str(k), str(k + 3), p.text[k : k + 3], f"row {p.ordinal}-{k}")
        for p in passages
        for k in range(per_passage)
    ]
    got = [
        (r["passage_id"], r["passage_text"], r["theme"], r["start"], r["end"], r["quote"], r["note"])
        for r in rows
    ]
    for number, (row, want) in enumerate(zip(got, expected, strict=True)):
        assert row == want, f"row {number}"
    assert {r["author"] for r in rows} == {"annotator"}
    assert {r["project"] for r in rows} == {team.project.slug}
    assert {r["source_title"] for r in rows} == {"A long article"}


def test_w3c_prefix_and_suffix_are_the_text_right_around_each_span(team):
    source = _long_source(team)
    passages = list(source.passages.order_by("ordinal"))
    energy = ThemeFactory(project=team.project, slug="energy")
    first, middle, last = passages[0], passages[PASSAGES // 2], passages[-1]
    cases = [  # (passage, start, end) in passage offsets; None for a whole-passage tag
        (first, 0, 7),  # the very start of the text: nothing before it
        (middle, 2, 9),  # the prefix reaches back over the blank line into the passage before
        (middle, 40, 60),
        (last, len(last.text) - 5, len(last.text)),  # the very end: nothing after it
        (passages[3], None, None),
    ]
    for passage, start, end in cases:
        quote = "" if start is None else passage.text[start:end]
        Annotation.objects.create(
            passage=passage, theme=energy, author=team.annotator, start=start, end=end, quote=quote
        )

    items = json.loads(b"".join(export_stream(project=team.project, format="w3c", filters=None).chunks))
    items = items["first"]["items"]
    assert len(items) == len(cases)
    text = source.text
    seen = []
    for item in items:
        quote, position = item["target"]["selector"]
        start, end = position["start"], position["end"]
        assert quote["exact"] == text[start:end]
        assert quote["prefix"] == text[max(0, start - CONTEXT_CHARS) : start]
        assert quote["suffix"] == text[end : end + CONTEXT_CHARS]
        seen.append((start, end, len(quote["prefix"]), len(quote["suffix"])))

    def absolute(passage, start, end):
        return (passage.start + (start or 0), passage.start + (len(passage.text) if end is None else end))

    expected = []
    for passage, start, end in cases:
        a, b = absolute(passage, start, end)
        expected.append((a, b, min(a, CONTEXT_CHARS), min(len(text) - b, CONTEXT_CHARS)))
    assert sorted(seen) == sorted(expected)
    # Only the first span lacks a prefix and only the last a suffix; the others carry the full context.
    assert sorted(length for _, _, length, _ in seen) == [0] + [CONTEXT_CHARS] * (len(cases) - 1)
    assert sorted(length for _, _, _, length in seen) == [0] + [CONTEXT_CHARS] * (len(cases) - 1)


def test_a_whole_passage_tag_has_empty_offsets_and_its_claims_joined_by_semicolons(team):
    source = _long_source(team)
    passage = source.passages.get(ordinal=0)
    energy = ThemeFactory(project=team.project, slug="energy")
    Annotation.objects.create(passage=passage, theme=energy, author=team.annotator)
    claims = [ClaimFactory(project=team.project, author=team.annotator) for _ in range(2)]
    for claim in claims:
        EvidenceFactory(claim=claim, passage=passage, author=team.annotator)

    data = b"".join(export_stream(project=team.project, format="csv", filters=None).chunks)
    [row] = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert (row["start"], row["end"], row["quote"]) == ("", "", "")
    assert row["claim_ids"].split(";") == sorted(str(claim.pk) for claim in claims)
