"""Hostile files: every import format refuses them with a FormatError naming the record and field,
before the costly step (parsing, inflating), in memory bounded by the file's size, writing nothing.

The files are built here as an attacker would build them; `HOSTILE` is shared with the API and
command tests, which check the same files give a 400 and a one-line message."""

import io
import json
import struct
import tracemalloc
import zlib
from collections.abc import Callable
from dataclasses import astuple, dataclass

import pytest

from sources.formats.records import FormatError
from sources.formats.xmi import typesystem as xmi_typesystem
from sources.models import Annotation

from ..formats.conftest import ENGLISH
from .test_imports import qdpx, run_import, snapshot

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024
DEEP = 100_000


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- building hostile archives --------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    name: str
    deflated: bytes
    crc: int
    size: int  # what the headers declare the member inflates to


def deflated(data: bytes) -> Member:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Member("", packer.compress(data) + packer.flush(), zlib.crc32(data), len(data))


def spaces(name: str, mib: int) -> Member:
    """`mib` MiB of spaces, deflated without ever holding them: once the window is all spaces, every
    further MiB deflates to the same bytes, so the stream is its first block, one repeated block
    and a last one."""
    block = b" " * MIB
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(block) + packer.flush(zlib.Z_SYNC_FLUSH)
    middle = packer.compress(block) + packer.flush(zlib.Z_SYNC_FLUSH)
    assert packer.compress(block) + packer.flush(zlib.Z_SYNC_FLUSH) == middle
    last = packer.compress(block) + packer.flush()
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(block, crc)
    return Member(name, first + middle * (mib - 2) + last, crc, mib * MIB)


def zip_of(*members: Member) -> bytes:
    """A zip written by hand, so its headers say whatever the member says (a zip library would
    tell the truth)."""
    out, directory = io.BytesIO(), io.BytesIO()
    for member in members:
        name = member.name.encode()
        offset = out.tell()
        sizes = (member.crc, len(member.deflated), member.size, len(name))
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, *sizes, 0) + name)
        out.write(member.deflated)
        directory.write(
            struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, *sizes, 0, 0, 0, 0, 0, offset)
            + name
        )
    start, table = out.tell(), directory.getvalue()
    out.write(table)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(table), start, 0))
    return out.getvalue()


PROJECT_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Bomb">
  <CodeBook><Codes><Code guid="11111111-2222-4333-8444-555555555555" name="Energy"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="0a1b2c3d-0000-4000-8000-000000000001" name="Big" plainTextPath="internal://big.txt">
      <PlainTextSelection guid="0a1b2c3d-0000-4000-8000-000000000002" startPosition="0" endPosition="4">
        <Coding guid="0a1b2c3d-0000-4000-8000-000000000003">
          <CodeRef targetGUID="11111111-2222-4333-8444-555555555555"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"""


def qdpx_with_text(text: Member) -> bytes:
    qde = deflated(PROJECT_QDE.encode())
    return zip_of(Member("project.qde", qde.deflated, qde.crc, qde.size), text)


def zip_bomb() -> bytes:
    """About 2 MB whose source text inflates to 2 GiB."""
    return qdpx_with_text(spaces("Sources/big.txt", 2048))


def lying_header() -> bytes:
    """A text of 64 MiB whose headers say 1 MiB (under every cap): caught while reading."""
    member = spaces("Sources/big.txt", 64)
    return qdpx_with_text(Member(member.name, member.deflated, member.crc, MIB))


# --- hostile JSON ---------------------------------------------------------------------------------


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def labelled_task(result: dict, text: str = ENGLISH[1]) -> bytes:
    return json.dumps([{"id": 7, "data": {"text": text}, "annotations": [{"result": [result]}]}]).encode()


def label_studio_span(**value) -> bytes:
    return labelled_task({"type": "labels", "value": {**value, "labels": ["Energy"]}})


def doccano_line(labels: object, text: str = ENGLISH[1]) -> bytes:
    return (json.dumps({"text": text, "label": labels}) + "\n").encode()


def million_labels() -> bytes:
    """An 11 MB doccano line: one text with a million span labels."""
    return b'{"text": "China", "label": [' + b",".join([b'[0,1,"E"]'] * 1_000_000) + b"]}\n"


def jsonl_line(corpus, **annotation) -> bytes:
    """A line of our JSONL for the corpus's English passage 1, with one annotation."""
    passage = corpus.english.passages.get(ordinal=1)
    line = {
        "source": {"sha256": corpus.english.sha256, "title": corpus.english.title},
        "passage": {"ordinal": 1, "start": passage.start, "end": passage.end},
        "text": passage.text,
        "annotations": [
            {
                "theme": "energy",
                "author": "annotator",
                "created": "2026-01-01T00:00:00.000000Z",
                "updated": "2026-01-01T00:00:00.000000Z",
                **annotation,
            }
        ],
    }
    return (json.dumps(line) + "\n").encode()


def qdpx_selection(start: int, end: int) -> bytes:
    return qdpx(
        PROJECT_QDE.replace(
            'startPosition="0" endPosition="4"', f'startPosition="{start}" endPosition="{end}"'
        ),
        {"Sources/big.txt": ENGLISH[1]},
    )


def archive_of(files: dict[str, bytes], *big: Member) -> bytes:
    return zip_of(*(Member(name, *astuple(deflated(body))[1:]) for name, body in files.items()), *big)


def brat_ann(ann: str) -> bytes:
    return archive_of({"d.txt": ENGLISH[1].encode(), "d.ann": ann.encode()})


def xmi_with(xmi: bytes) -> bytes:
    return archive_of({"TypeSystem.xml": xmi_typesystem().to_xml().encode(), "d.xmi": xmi})


ENTITIES = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmi:version="2.0">&b;</xmi:XMI>"""


@dataclass(frozen=True)
class Hostile:
    """A hostile file, the format it claims, and where the refusal must point."""

    fmt: str
    build: Callable[..., bytes]
    where: str
    field: str
    problem: str
    needs_corpus: bool = False


HOSTILE = {
    "qdpx zip bomb": Hostile("qdpx", zip_bomb, "archive", "Sources/big.txt", "IMPORT_MAX_MEMBER_BYTES"),
    "qdpx lying header": Hostile("qdpx", lying_header, "archive", "Sources/big.txt", "damaged"),
    "jsonl nested": Hostile(
        "jsonl", lambda: (nested(DEEP) + "\n").encode(), "line 1", "(line)", "IMPORT_MAX_DEPTH"
    ),
    "doccano nested": Hostile(
        "doccano",
        lambda: doccano_line(None).replace(b"null", nested(DEEP).encode()),
        "line 1",
        "(line)",
        "IMPORT_MAX_DEPTH",
    ),
    "label-studio nested": Hostile(
        "label-studio", lambda: nested(DEEP).encode(), "file", "(json)", "IMPORT_MAX_DEPTH"
    ),
    "label-studio textarea of lists": Hostile(
        "label-studio",
        lambda: labelled_task({"type": "textarea", "value": {"text": [["a note"], 3]}}),
        "task 0 (id 7), annotations[0]",
        "result[0].value.text",
        "expected a list of strings",
    ),
    "doccano million labels": Hostile("doccano", million_labels, "line 1", "(line)", "IMPORT_MAX_LINE_BYTES"),
    "doccano too many labels": Hostile(
        "doccano", lambda: doccano_line([[0, 5, "Energy"]] * 10_001), "line 1", "label", "IMPORT_MAX_LABELS"
    ),
    "label-studio negative start": Hostile(
        "label-studio",
        lambda: label_studio_span(start=-3, end=5, text="China"),
        "task 0 (id 7), annotations[0]",
        "result[0].value.start",
        "cannot be negative",
    ),
    "label-studio start after end": Hostile(
        "label-studio",
        lambda: label_studio_span(start=9, end=2, text=""),
        "task 0 (id 7), annotations[0]",
        "result[0].value.end",
        "must not be before start",
    ),
    "label-studio empty span": Hostile(
        "label-studio",
        lambda: label_studio_span(start=4, end=4, text=""),
        "task 0 (id 7), annotations[0]",
        "result[0].value.end",
        "empty span",
    ),
    "doccano empty span": Hostile(
        "doccano",
        lambda: doccano_line([[0, 5, "Energy"], [3, 3, "Energy"]]),
        "line 1",
        "label[1]",
        "empty span",
    ),
    "jsonl empty span": Hostile(
        "jsonl",
        lambda corpus: jsonl_line(corpus, start=6, end=6, quote=""),
        "line 1",
        "annotations[0].end",
        "empty span",
        needs_corpus=True,
    ),
    "qdpx empty span": Hostile(
        "qdpx",
        lambda: qdpx_selection(5, 5),
        "project.qde line 6, TextSource 'Big'",
        "endPosition",
        "empty span",
    ),
    "brat text bomb": Hostile(
        "brat",
        lambda: archive_of({"d.ann": b""}, spaces("d.txt", 2048)),
        "archive",
        "d.txt",
        "IMPORT_MAX_DOCUMENT_BYTES",
    ),
    "brat empty span": Hostile(
        "brat", lambda: brat_ann("T1\tEnergy 3 3\t\n"), "d.ann line 1", "T1 end", "empty span"
    ),
    "brat offsets past the text": Hostile(
        "brat", lambda: brat_ann("T1\tEnergy 3 900\tx\n"), "d.ann line 1", "T1 end", "is past d.txt"
    ),
    "xmi bomb": Hostile(
        "xmi",
        lambda: archive_of({"TypeSystem.xml": xmi_typesystem().to_xml().encode()}, spaces("d.xmi", 2048)),
        "archive",
        "d.xmi",
        "IMPORT_MAX_DOCUMENT_BYTES",
    ),
    "xmi entities": Hostile("xmi", lambda: xmi_with(ENTITIES), "d.xmi", "(xml)", "DOCTYPE"),
    "qdpx start after end": Hostile(
        "qdpx",
        lambda: qdpx_selection(9, 2),
        "project.qde line 6, TextSource 'Big'",
        "endPosition",
        "must not be before start",
    ),
}


def build(hostile: Hostile, corpus) -> bytes:
    return hostile.build(corpus) if hostile.needs_corpus else hostile.build()


def peak_memory(call: Callable[[], object]) -> tuple[int, object]:
    """Peak bytes Python allocated while `call` ran, and what it raised (or returned)."""
    tracemalloc.start()
    try:
        outcome = call()
    except Exception as exc:
        outcome = exc
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak, outcome


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_refused_naming_record_and_field_and_writes_nothing(corpus, team, name):
    hostile = HOSTILE[name]
    data = build(hostile, corpus)
    before = snapshot()
    with pytest.raises(FormatError) as error:
        run_import(corpus.project, data, hostile.fmt, as_user=team.instructor, create_themes=True)
    assert (error.value.where, error.value.field) == (hostile.where, hostile.field)
    assert hostile.problem in error.value.problem
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "bound"),
    # The bomb is refused from its headers; the long line is read up to the cap, never parsed.
    [("qdpx zip bomb", 1), ("doccano million labels", 1)],
)
def test_a_hostile_file_is_refused_in_memory_bounded_by_its_size(corpus, team, name, bound):
    hostile = HOSTILE[name]
    data = hostile.build()
    peak, outcome = peak_memory(
        lambda: run_import(corpus.project, data, hostile.fmt, as_user=team.instructor)
    )
    assert isinstance(outcome, FormatError), outcome
    assert peak < bound * len(data), f"{peak / MIB:.1f} MiB for a file of {len(data) / MIB:.1f} MiB"


def test_a_member_inflating_past_the_ratio_is_refused_though_under_the_size_cap(corpus, settings):
    settings.IMPORT_MAX_MEMBER_BYTES = 64 * MIB
    data = qdpx_with_text(spaces("Sources/big.txt", 16))
    with pytest.raises(FormatError, match=r"inflates \d+ times its compressed size; at most 100"):
        run_import(corpus.project, data, "qdpx", create_themes=True)


def test_the_caps_are_settings(corpus, team, settings):
    settings.IMPORT_MAX_LABELS = 1
    with pytest.raises(FormatError, match="2 items; at most 1 per record"):
        run_import(
            corpus.project, doccano_line([[0, 5, "Energy"], [6, 9, "Energy"]]), "doccano", as_user=team.owner
        )
    settings.IMPORT_MAX_DEPTH = 3
    with pytest.raises(FormatError, match="nested more than 3 deep"):
        run_import(corpus.project, doccano_line([[[0, 5, "Energy"]]]), "doccano", as_user=team.owner)


def test_codes_nested_past_the_cap_are_refused(corpus, settings):
    settings.IMPORT_MAX_DEPTH = 2
    codes = '<Code guid="a" name="A"><Code guid="b" name="B"><Code guid="c" name="C"/></Code></Code>'
    codebook = f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{codes}</Codes></CodeBook>'
    with pytest.raises(FormatError, match="codes nested more than 2 deep"):
        run_import(corpus.project, codebook.encode(), "qdc")
    settings.IMPORT_MAX_DEPTH = 3
    assert run_import(corpus.project, codebook.encode(), "qdc").themes_created == ["a", "b", "c"]


def test_legitimate_files_within_the_caps_still_import(corpus, team):
    text = ENGLISH[1]
    report = run_import(corpus.project, doccano_line([[0, 5, "Energy"]], text), "doccano", as_user=team.owner)
    assert report.annotations_created == 1
    note = labelled_task({"type": "textarea", "value": {"text": "one line"}}, text)
    assert run_import(corpus.project, note, "label-studio", as_user=team.owner).annotations_created == 0
    assert Annotation.objects.filter(quote="China", author=team.owner).exists()
