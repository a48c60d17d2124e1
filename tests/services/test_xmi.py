"""UIMA CAS XMI both ways: our export reads back into a project with the same codebook as the same
bytes, cassis reads it as INCEpTION would (UTF-16 offsets, the Theme layer), and a real INCEpTION
export (tests/data/inception/) comes in with its spans on their text and its relations reported."""

import io
import zipfile
from pathlib import Path

import pytest
from cassis import load_cas_from_xmi, load_typesystem

from sources.formats.records import FormatError
from sources.models import Annotation

from ..factories import ProjectFactory
from .test_imports import export, run_import, snapshot

pytestmark = pytest.mark.django_db
INCEPTION = Path(__file__).resolve().parent.parent / "data" / "inception"


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def test_xmi_export_import_export_is_byte_identical(corpus, empty):
    run_import(empty, export(corpus.project, "qdc"), "qdc")
    first = export(corpus.project, "xmi")
    report = run_import(empty, first, "xmi")
    assert (report.annotations_created, report.sources_created, report.skipped) == (10, 2, {})
    assert export(empty, "xmi") == first
    assert sorted(
        Annotation.objects.filter(passage__source__project=empty).values_list("status", flat=True)
    ) == sorted(
        Annotation.objects.filter(passage__source__project=corpus.project).values_list("status", flat=True)
    )


def test_cassis_reads_the_theme_layer_on_its_text_with_utf16_offsets(corpus):
    archive = zipfile.ZipFile(io.BytesIO(export(corpus.project, "xmi")))
    types = load_typesystem(io.BytesIO(archive.read("TypeSystem.xml")))
    name = next(n for n in archive.namelist() if n.startswith("китай-и-шос"))
    raw = archive.read(name).decode()
    cas = load_cas_from_xmi(raw, typesystem=types)
    spans = {(fs.theme, fs.get_covered_text()) for fs in cas.select("webanno.custom.Theme")}
    assert ("energy", "🛢") in spans and ("terrorism", "терроризмом") in spans
    text = cas.sofa_string
    emoji = text.index("🛢")
    # In the file, offsets after the emoji count it as two UTF-16 units, as INCEpTION (Java) does.
    assert f'begin="{emoji}" end="{emoji + 2}"' in raw
    assert len(cas.select("de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence")) == 3
    assert '"tag_name": "three-evils"' in archive.read("themes-tagset.json").decode()


def test_an_inception_export_brings_its_spans_and_reports_its_relations(team):
    project = ProjectFactory(slug="inception")
    data = zipped(
        {name: (INCEPTION / name).read_bytes() for name in ("grimm-moralistik.xmi", "TypeSystem.xml")}
    )
    report = run_import(project, data, "xmi", create_themes=True, as_user=team.owner)
    assert report.sources_created == 1 and report.annotations_created == 76
    assert report.skipped["XMI Property"].count == 58
    source = project.sources.get()
    assert source.title == "Grimm_Hartwig_Moralistik_Die_französische_Revolution_241-243_tokenized.txt"
    tags = Annotation.objects.filter(passage__source=source).select_related("passage", "theme")
    assert {t.theme.name for t in tags} == {"NamedEntity"}
    for tag in tags:
        start = tag.passage.start + (tag.start or 0)
        assert source.text[start : start + len(tag.quote)] == tag.quote
    assert any(t.quote == "Montaigne" and "wikidata.org/entity/Q41568" in t.note for t in tags)


def test_a_damaged_or_hostile_xmi_is_refused_and_nothing_written(corpus, empty):
    archive = zipfile.ZipFile(io.BytesIO(export(corpus.project, "xmi")))
    files = {name: archive.read(name) for name in archive.namelist()}
    before = snapshot()
    without_types = {n: b for n, b in files.items() if n != "TypeSystem.xml"}
    with pytest.raises(FormatError, match=r"TypeSystem\.xml.*missing"):
        run_import(empty, zipped(without_types), "xmi", create_themes=True)
    name = next(n for n in files if n.endswith(".xmi"))
    entity = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
    hostile = {**files, name: entity + files[name].split(b"?>", 1)[1]}
    with pytest.raises(FormatError, match="DOCTYPE"):
        run_import(empty, zipped(hostile), "xmi", create_themes=True)
    past = {**files, name: files[name].replace(b'end="', b'end="9', 1)}
    with pytest.raises(FormatError, match=rf"{name}, field 'begin/end'"):
        run_import(empty, zipped(past), "xmi", create_themes=True)
    assert snapshot() == before
