"""Comments on passages in our JSONL and in W3C Web Annotation: exported with their threads, imported
into a fresh project as the same threads (docs/formats.md)."""

import io
import json

import pytest

from sources.formats.records import FormatError
from sources.models import Annotation, Comment, Passage, Project, Source
from sources.services.comments import comment_create, comment_delete, comment_edit, comment_resolve
from sources.services.exports import export_stream
from sources.services.imports import annotations_import

pytestmark = pytest.mark.django_db


def export(project: Project, fmt: str) -> bytes:
    return b"".join(export_stream(project=project, format=fmt).chunks)


def run_import(project: Project, data: bytes, fmt: str):
    return annotations_import(project=project, file=io.BytesIO(data), format=fmt, create_themes=True)


def converse(corpus, team) -> None:
    """Threads on both sources: a span comment with a reply, resolved; an edited remark; a comment
    deleted but kept for its reply."""
    ru = list(corpus.russian.passages.order_by("ordinal"))
    en = list(corpus.english.passages.order_by("ordinal"))
    text = ru[1].text
    start = text.index("терроризмом")
    first = comment_create(
        passage=ru[1], author=team.annotator, text="Is «терроризм» one of the three evils?", start=start,
        end=start + len("терроризмом"),
    )  # fmt: skip
    comment_create(passage=ru[1], author=team.annotator2, text="Yes, @annotator 🛢.", parent=first)
    comment_resolve(comment=first, user=team.annotator, role="annotator", resolved=True)
    remark = comment_create(passage=en[2], author=team.instructor, text="Draft")
    comment_edit(comment=remark, editor=team.instructor, text='Energy "security", edited.')
    gone = comment_create(passage=en[2], author=team.annotator2, text="Something to regret.")
    comment_create(passage=en[2], author=team.annotator, text="Why delete?", parent=gone)
    comment_delete(comment=gone, editor=team.annotator2, role="annotator")


def threads(project: Project, *, with_resolution: bool = True) -> list[tuple]:
    """Every comment as a reader meets it: where, who, what, which it answers, when."""
    rows = []
    for c in Comment.objects.filter(passage__source__project=project).select_related(
        "passage__source", "author", "parent__author"
    ):
        parent = (c.parent.author.username, c.parent.created) if c.parent else None
        resolved = c.resolved_at is not None if with_resolution else None
        rows.append(
            (
                c.passage.source.sha256,
                c.passage.ordinal,
                c.author.username,
                c.text,
                c.start,
                c.end,
                c.quote,
                parent,
                c.created,
                c.edited is not None,
                c.deleted is not None,
                resolved,
            )
        )
    return sorted(rows, key=lambda row: (row[0], row[1], row[8]))


def copy_sources(source_project: Project, target: Project) -> None:
    """The same texts in another project (a W3C file names them only by checksum)."""
    for source in Source.objects.filter(project=source_project):
        passages = list(source.passages.order_by("ordinal"))
        source.pk, source.project = None, target
        source.save()
        for passage in passages:
            passage.pk, passage.source = None, source
        Passage.objects.bulk_create(passages)


def test_jsonl_carries_comment_threads_into_a_fresh_project_and_back_byte_for_byte(corpus, empty, team):
    converse(corpus, team)
    first = export(corpus.project, "jsonl")
    lines = [json.loads(line) for line in first.decode().splitlines()]
    [thread] = [
        line["comments"] for line in lines if "comments" in line and line["source"]["language"] == "ru"
    ]
    assert thread[0]["quote"] == "терроризмом" and thread[0]["resolved_by"] == "annotator"
    assert thread[1]["reply_to"] == 0 and thread[1]["start"] is None
    report = run_import(empty, first, "jsonl")
    assert report.comments_created == 5 and "5 comment(s) imported" in report.summary()
    assert threads(empty) == threads(corpus.project)
    assert export(empty, "jsonl") == first
    again = run_import(empty, first, "jsonl")  # a second time adds nothing
    assert again.comments_created == 0 and Comment.objects.filter(passage__source__project=empty).count() == 5


def test_w3c_comments_are_commenting_annotations_with_replies_and_come_back_as_threads(corpus, empty, team):
    converse(corpus, team)
    document = json.loads(export(corpus.project, "w3c"))
    items = document["first"]["items"]
    assert document["total"] == len(items) == 10 + 5
    comments = [item for item in items if item["motivation"] in {"commenting", "replying"}]
    by_id = {item["id"]: item for item in comments}
    replies = [item for item in comments if item["motivation"] == "replying"]
    assert len(replies) == 2 and all(reply["target"] in by_id for reply in replies)
    threads_begun = [item for item in comments if item["motivation"] == "commenting" and "body" in item]
    span = next(item for item in threads_begun if item["body"][0]["value"].startswith("Is «"))
    assert span["target"]["selector"][0]["exact"] == "терроризмом"
    assert sum("body" not in item for item in comments) == 1  # the deleted comment kept for its reply

    copy_sources(corpus.project, empty)
    report = run_import(empty, json.dumps(document).encode(), "w3c")
    assert report.comments_created == 5 and report.annotations_created == 10
    assert threads(empty, with_resolution=False) == threads(corpus.project, with_resolution=False)
    tags = Annotation.objects.filter(passage__source__project=empty)
    assert sorted(tags.values_list("theme__slug", "author__username", "quote", "note")) == sorted(
        Annotation.objects.filter(passage__source__project=corpus.project).values_list(
            "theme__slug", "author__username", "quote", "note"
        )
    )


def w3c_comment(**fields) -> dict:
    return {
        "type": "Annotation",
        "id": "urn:uuid:1",
        "motivation": "commenting",
        "created": "2026-12-01T10:00:00Z",
        "creator": {"nickname": "annotator"},
        "body": [{"type": "TextualBody", "value": "A remark."}],
        **fields,
    }


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (w3c_comment(target={"source": "ni:///sha-256;AAAA", "selector": []}), "target.selector"),
        (w3c_comment(motivation="replying", target="urn:uuid:nowhere"), "target"),
        (w3c_comment(created="yesterday"), "created"),
    ],
)
def test_a_bad_w3c_file_is_refused_naming_the_field_and_nothing_is_written(corpus, empty, item, field):
    copy_sources(corpus.project, empty)
    before = Comment.objects.count()
    with pytest.raises(FormatError) as raised:
        run_import(empty, json.dumps([item]).encode(), "w3c")
    assert raised.value.field == field
    assert Comment.objects.count() == before


def test_a_w3c_file_on_a_source_the_project_lacks_is_refused(corpus, empty, team):
    converse(corpus, team)
    with pytest.raises(FormatError, match="import or upload the source first"):
        run_import(empty, export(corpus.project, "w3c"), "w3c")
    assert not Comment.objects.filter(passage__source__project=empty).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reply_to": 5}, "comments[0].reply_to"),
        ({"text": " "}, "comments[0].text"),
        ({"start": 0, "end": 3, "quote": "nope"}, "comments[0].quote"),
        ({"created": "soon"}, "comments[0].created"),
    ],
)
def test_a_bad_comment_in_jsonl_is_refused_naming_its_field(corpus, empty, team, change, field):
    converse(corpus, team)
    lines = [json.loads(line) for line in export(corpus.project, "jsonl").decode().splitlines()]
    line = next(line for line in lines if "comments" in line)
    line["comments"][0].update(change)
    data = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode()
    with pytest.raises(FormatError) as raised:
        run_import(empty, data, "jsonl")
    assert raised.value.field == field
    assert not Source.objects.filter(project=empty).exists()  # all or nothing
