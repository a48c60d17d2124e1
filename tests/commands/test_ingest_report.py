"""`ingest_report`: the passages a file would give, with their kinds, and the suspect ones flagged,
without writing anything."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sources.ingest import parse_document
from sources.models import Source

from ..ingest.minimal_pdf import minimal_pdf

PDF_CORPUS = Path(__file__).resolve().parents[1] / "data" / "pdf-corpus"
# A passage line: its ordinal, its kind, then its section and text.
PASSAGE_LINE = re.compile(r"^ *(\d+) (\w+) +(.*)$")


def report(*args: str) -> list[str]:
    out = StringIO()
    call_command("ingest_report", *args, stdout=out)
    return out.getvalue().splitlines()


def passage_lines(lines: list[str]) -> dict[int, tuple[str, str, list[str]]]:
    """Each reported passage's kind, text and flags, by ordinal."""
    found: dict[int, tuple[str, str, list[str]]] = {}
    last = None
    for line in lines:
        if match := PASSAGE_LINE.match(line):
            last = int(match[1])
            found[last] = (match[2], re.sub(r"^§ .*? \| ", "", match[3]), [])
        elif line.startswith("      ! ") and last is not None:
            found[last][2].append(line.removeprefix("      ! "))
    return found


@pytest.mark.django_db
def test_a_pdf_is_reported_passage_by_passage_with_kinds_and_writes_nothing() -> None:
    path = PDF_CORPUS / "rescience-broman-2020.pdf"
    document = parse_document(path.read_bytes(), path.name)
    lines = report(str(path), "--width", "400")
    assert lines[0].startswith(f"rescience-broman-2020.pdf: {len(document.passages)} passages (")
    assert "language en" in lines[0]
    passages = passage_lines(lines)
    assert len(passages) == len(document.passages)
    for passage in document.passages:
        kind, text, _ = passages[passage.ordinal]
        assert kind == passage.kind
        assert passage.text[:100] in text
    kinds = {kind for kind, _, _ in passages.values()}
    assert {"heading", "paragraph", "reference", "caption"} <= kinds
    assert passages[next(p.ordinal for p in document.passages if p.text == "References")][0] == "heading"
    assert re.fullmatch(r"suspect passages: \d+( \(.*\))?", lines[-1])
    assert not Source.objects.exists()


def test_a_footnote_names_the_passage_it_is_attached_to() -> None:
    path = PDF_CORPUS / "rescience-detorakis-2017.pdf"
    document = parse_document(path.read_bytes(), path.name)
    note = next(p for p in document.passages if p.kind == "footnote")
    [line] = [line for line in report(str(path)) if line.lstrip().startswith(f"{note.ordinal} footnote")]
    assert f"footnote   → {note.attached_to} " in line
    assert document.passages[note.attached_to].text.endswith("was 162 MB1.")


def test_fragments_repeated_lines_and_run_together_words_are_flagged(tmp_path: Path) -> None:
    clean = "The organization was founded in 2001 by six states that wanted to settle their borders."
    path = tmp_path / "notes.txt"
    path.write_text(
        "\n\n".join(
            [
                clean,
                "Journal of Eurasian Studies",
                "Its members disagree about the pace of economic cooperation.",
                "Journal of Eurasian Studies",
                "and about its expansion",
                "The title was BetweenaRockandaHardPlaceandtheSea in the first print.",
            ]
        )
    )
    passages = passage_lines(report(str(path)))
    flags = {text: reasons for _, text, reasons in passages.values()}
    assert flags[clean] == []
    assert flags["Its members disagree about the pace of economic cooperation."] == []
    assert "repeated" in flags["Journal of Eurasian Studies"]
    assert flags["and about its expansion"] == ["fragment"]
    assert flags["The title was BetweenaRockandaHardPlaceandtheSea in the first print."] == [
        "long word: BetweenaRockandaHardPlaceandtheSea"
    ]


def test_only_the_suspects_are_listed_on_request(tmp_path: Path) -> None:
    path = tmp_path / "paper.pdf"
    sentence = [
        "The organization was founded in 2001 by six states that wanted to settle",
        "their borders. It has since grown into a forum for regional security and",
        "for trade, although its members disagree about the pace of cooperation.",
    ]
    path.write_bytes(minimal_pdf([[*sentence, "", "a piece of one"]]))
    lines = report(str(path), "--suspects")
    passages = passage_lines(lines)
    assert [(kind, text, reasons) for kind, text, reasons in passages.values()] == [
        ("paragraph", "a piece of one", ["fragment"])
    ]
    assert lines[-1] == "suspect passages: 1 (fragment 1)"


@pytest.mark.parametrize(
    ("name", "data", "args", "message"),
    [
        ("missing.pdf", None, [], "cannot read the file (No such file or directory)"),
        ("broken.pdf", b"%PDF-1.4\nthis is not a PDF at all", [], "not a readable PDF: "),
        ("notes.docx", b"PK\x03\x04", [], "unsupported file type '.docx'"),
        ("notes.txt", b"Some text.", ["--language", "English"], "unknown language code 'English'"),
        ("notes.txt", b"Some text.", ["--width", "5"], "--width must be at least 20"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_its_problem(
    tmp_path: Path, name: str, data: bytes | None, args: list[str], message: str
) -> None:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(CommandError, match=re.escape(message)):
        report(str(path), *args)
