"""`import_source`: a file on the command line becomes a source, or a clear error and nothing written."""

import struct
import zlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sources.models import Passage, Source

from ..factories import ProjectFactory
from ..ingest.minimal_pdf import minimal_pdf
from ..services.test_hostile_imports import MIB, spaces

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
ARTICLE = CORPUS / "chinese-view-on-sco-expansion.txt"

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_source", *args, stdout=out)
    return out.getvalue()


def test_import_prints_the_source_id_and_passage_count():
    project = ProjectFactory(slug="team")
    output = run(
        str(ARTICLE), "--project", "team", "--title", "Expansion", "--authors",
        "Serikkaliyeva A.E.; Amirbek A.A.", "--year", "2017", "--language", "en",
    )  # fmt: skip
    source = Source.objects.get(project=project)
    assert output.strip() == f"source {source.pk}: {source.passages.count()} passages"
    assert source.title == "Expansion"
    assert source.authors == ["Serikkaliyeva A.E.", "Amirbek A.A."]
    assert source.year == 2017
    for passage in source.passages.all():
        assert source.text[passage.start : passage.end] == passage.text


def test_the_title_defaults_to_the_one_found_in_the_document():
    ProjectFactory(slug="team")
    run(str(ARTICLE), "--project", "team")
    assert (
        Source.objects.get().title == "CHINESE VIEW ON THE EXPANSION OF THE SHANGHAI COOPERATION ORGANIZATION"
    )


def test_importing_the_same_text_again_is_refused_and_writes_nothing():
    ProjectFactory(slug="team")
    run(str(ARTICLE), "--project", "team")
    passages = Passage.objects.count()
    with pytest.raises(CommandError, match="already in project 'team' as source"):
        run(str(ARTICLE), "--project", "team", "--title", "Again")
    assert Source.objects.count() == 1
    assert Passage.objects.count() == passages


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.txt", b"  \n\n \n", "file is empty"),
        ("latin1.txt", "caf\u00e9 au lait".encode("latin-1"), "not UTF-8"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("paper.docx", b"PK\x03\x04", "unsupported file type '.docx'"),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "PDF"),
    ],
)
def test_bad_files_get_a_clear_error_and_write_nothing(tmp_path, name, content, message):
    ProjectFactory(slug="team")
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(path), "--project", "team")
    assert not Source.objects.exists()
    assert not Passage.objects.exists()


def test_an_unknown_project_or_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="No project with the slug 'nope'"):
        run(str(ARTICLE), "--project", "nope")
    ProjectFactory(slug="team")
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "missing.txt"), "--project", "team")


def test_an_implausible_year_is_refused_with_the_field_named():
    ProjectFactory(slug="team")
    with pytest.raises(CommandError, match="year"):
        run(str(ARTICLE), "--project", "team", "--year", "20")
    assert not Source.objects.exists()


def test_a_pdf_whose_page_inflates_a_thousandfold_is_refused_in_one_line(tmp_path):
    """A 256 KB PDF whose content stream inflates to 256 MiB: the PDF reader stops at its own
    output limit, and the command says so in one line."""
    member = spaces("page", 256)
    checksum = 1
    for _ in range(256):
        checksum = zlib.adler32(b" " * MIB, checksum)
    stream = b"\x78\xda" + member.deflated + struct.pack(">L", checksum)
    pdf = minimal_pdf([["A page"]]).replace(
        b"<< /Length 46 >>\nstream\nBT /F1 11 Tf 14 TL 72 720 Td (A page) Tj T* ET\nendstream",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
    )
    assert len(pdf) < MIB
    ProjectFactory(slug="team")
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf)
    with pytest.raises(CommandError) as error:
        run(str(path), "--project", "team")
    assert "\n" not in str(error.value) and "PDF" in str(error.value)
    assert not Source.objects.exists()


def test_an_archived_project_takes_no_import():
    ProjectFactory(slug="team", archived=True)
    with pytest.raises(CommandError, match="archived"):
        run(str(ARTICLE), "--project", "team")
    assert not Source.objects.exists()
