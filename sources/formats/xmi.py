"""UIMA CAS XMI, as INCEpTION and WebAnno exchange documents: a zip of one `<name>.xmi` per source
and the `TypeSystem.xml` they share, written and read with dkpro-cassis.

Each CAS holds the source's text as its document, a DKPro `DocumentMetaData` (the title), a DKPro
`Sentence` per passage, and each tag as a `webanno.custom.Theme` span: a custom span layer whose
`theme` feature is the theme's slug, with `note`, `status`, `author` and `wholePassage` (the tag
marks its whole passage). In INCEpTION, create a span layer named `Theme` with those string features
(and import `themes-tagset.json`, the project's themes as INCEpTION's tagset, for `theme`); then
INCEpTION opens the documents, and its curated XMI comes back here. UIMA counts offsets in UTF-16
units; cassis converts them to code points and back, so emoji land where they were.

Read back, `Theme` spans become tags; so do the spans of any other span layer of INCEpTION (named
entities, custom layers), labelled by their `value` feature or, without one, by the layer's name,
their other features written into the note. Relations, chains and other feature structures are
counted as skipped; segmentation and metadata (tokens, sentences, tagsets) are not annotations and
are left out. The author of a span without an `author` feature is the user whose file it is, when
the archive is laid out as INCEpTION's project export (`annotation/<document>/<user>.xmi`)."""

import io
import json
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import BinaryIO

from cassis import Cas, TypeSystem, load_cas_from_xmi, load_typesystem
from lxml import etree

from .bounded import ReadLimits, check_count, open_archive, read_document
from .brat import document_name
from .records import Dataset, FormatError, LabelDraft, LabelledText, ThemeRecord, codebook_order, span_problem
from .sink import ChunkSink
from .zip_members import zip_member

THEME = "webanno.custom.Theme"
METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
SENTENCE = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence"
FEATURES = ("theme", "note", "status", "author")
# Not annotations: the document's segmentation, metadata and INCEpTION's own bookkeeping.
STRUCTURE = (
    "uima.tcas.DocumentAnnotation",
    "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.",
    "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.",
    "de.tudarmstadt.ukp.clarin.webanno.api.type.",
)
_NOT_XML = str.maketrans({c: " " for c in [*map(chr, range(0x20)), "\ufffe", "\uffff"] if c not in "\t\n\r"})


def typesystem() -> TypeSystem:
    """DKPro's metadata and sentence types, and the Theme span layer."""
    types = TypeSystem()
    metadata = types.create_type(METADATA, supertypeName="uima.tcas.DocumentAnnotation")
    for name in ("documentTitle", "documentId", "documentUri", "collectionId", "documentBaseUri"):
        types.create_feature(metadata, name, "uima.cas.String")
    types.create_feature(metadata, "isLastSegment", "uima.cas.Boolean")
    sentence = types.create_type(SENTENCE)
    types.create_feature(sentence, "id", "uima.cas.String")
    theme = types.create_type(THEME, description="A tag of a theme of the sco-annot codebook.")
    for name in FEATURES:
        types.create_feature(theme, name, "uima.cas.String")
    types.create_feature(theme, "wholePassage", "uima.cas.Boolean")
    return types


def tagset(themes: tuple[ThemeRecord, ...], project: str) -> str:
    """The codebook as an INCEpTION tagset (its JSON import format), for the `theme` feature."""
    tags = [
        {"tag_name": t.slug, "tag_description": f"{t.name}: {t.description}" if t.description else t.name}
        for t in codebook_order(themes)
    ]
    body = {
        "name": f"{project} themes",
        "description": "The themes of the sco-annot codebook, by slug.",
        "language": "",
        "create_tag": False,
        "tags": tags,
    }
    return json.dumps(body, ensure_ascii=False, indent=1) + "\n"


# --- writing -----------------------------------------------------------------------------------


def _document(types: TypeSystem, title: str, name: str, text: str, passages: list, tags: list) -> bytes:
    cas = Cas(typesystem=types)
    # XML 1.0 cannot hold control characters: each becomes a space, one unit for one.
    cas.sofa_string = text.translate(_NOT_XML)
    metadata = types.get_type(METADATA)
    cas.add(metadata(begin=0, end=len(text), documentTitle=title, documentId=name, isLastSegment=False))
    sentence = types.get_type(SENTENCE)
    cas.add_all([sentence(begin=start, end=end) for start, end in passages])
    theme = types.get_type(THEME)
    for start, end, slug, author, status, whole, note in sorted(tags):
        fields = {"theme": slug, "author": author, "status": status, "wholePassage": whole}
        cas.add(theme(begin=start, end=end, **fields, **({"note": note} if note else {})))
    return cas.to_xmi(pretty_print=True).encode("utf-8")


def export_xmi(dataset: Dataset) -> Iterator[bytes]:
    sink = ChunkSink()
    types = typesystem()
    with zipfile.ZipFile(sink, "w") as archive:
        current, source, passages, tags = None, None, [], []

        def close() -> None:
            name = document_name(source.title, source.sha256)
            body = _document(types, source.title, name, source.text, passages, tags)
            archive.writestr(zip_member(f"{name}.xmi"), body)

        for bundle in dataset.bundles:
            if bundle.source.sha256 != current:
                if current is not None:
                    close()
                    yield sink.drain()
                current, source, passages, tags = bundle.source.sha256, bundle.source, [], []
            passage = bundle.passage
            passages.append((passage.start, passage.end))
            for a in bundle.annotations:
                whole = a.start is None
                start = passage.start + (0 if whole else a.start)
                end = passage.start + (len(passage.text) if whole else a.end)
                tags.append((start, end, a.theme, a.author, a.status, whole, a.note))
        if current is not None:
            close()
        archive.writestr(zip_member("TypeSystem.xml"), types.to_xml().encode("utf-8"))
        archive.writestr(zip_member("themes-tagset.json"), tagset(dataset.themes, dataset.name))
    yield sink.drain()


# --- reading -----------------------------------------------------------------------------------


def _no_doctype(data: bytes, name: str) -> None:
    """Refuse a DOCTYPE (entities that expand, external ones that fetch) before cassis parses."""
    parser = etree.XMLPullParser(events=("start",), resolve_entities=False, no_network=True, load_dtd=False)
    try:
        parser.feed(data[: 64 * 1024])
        for _, element in parser.read_events():
            if element.getroottree().docinfo.doctype:
                raise FormatError(name, "(xml)", "declares a DOCTYPE, which CAS XMI never needs")
            return
    except etree.XMLSyntaxError as exc:
        raise FormatError(f"{name} line {exc.lineno}", "(xml)", exc.msg) from exc


def _types(archive: zipfile.ZipFile, names: list[str], limits: ReadLimits) -> TypeSystem:
    found = [n for n in names if PurePosixPath(n).name.lower() == "typesystem.xml"]
    if not found:
        raise FormatError(
            "archive",
            "TypeSystem.xml",
            "missing: INCEpTION's UIMA CAS XMI export holds it beside the .xmi files",
        )
    data = read_document(archive, found[0], limits)
    _no_doctype(data, found[0])
    try:
        return load_typesystem(io.BytesIO(data))
    except Exception as exc:  # cassis raises whatever its parser meets
        raise FormatError(found[0], "(type system)", str(exc) or type(exc).__name__) from exc


def _load(data: bytes, name: str, types: TypeSystem) -> Cas:
    _no_doctype(data, name)
    with warnings.catch_warnings():
        # cassis warns, and keeps the offset as it was, where a UTF-16 offset falls inside a character
        # or past the text: that is the file's error.
        warnings.simplefilter("error", UserWarning)
        try:
            return load_cas_from_xmi(io.BytesIO(data), typesystem=types)
        except UserWarning as exc:
            raise FormatError(name, "begin/end", str(exc)) from exc
        except Exception as exc:
            raise FormatError(name, "(xmi)", str(exc) or type(exc).__name__) from exc


def _user_of(name: str) -> str | None:
    """INCEpTION's project export keeps each annotator's CAS as annotation/<document>/<user>.xmi."""
    parts = PurePosixPath(name).parts
    if len(parts) >= 3 and parts[-3] == "annotation":
        return PurePosixPath(name).stem
    return None


def _is_relation(fs_type) -> bool:
    names = {f.name for f in fs_type.all_features}
    return {"Governor", "Dependent"} <= names or fs_type.name.endswith(("Link", "Chain"))


def _label(fs, name: str, fallback_author: str | None) -> LabelDraft | None:
    kind = fs.type
    where = f"{name}, {kind.short_name} {fs.xmiID}"
    if kind.name == THEME:
        return LabelDraft(
            where=where,
            label=fs.get("theme") or "",
            start=fs.begin,
            end=fs.end,
            author=fs.get("author") or fallback_author,
            note=fs.get("note") or "",
            status=fs.get("status") or None,
            whole=bool(fs.get("wholePassage")),
        )
    extra = []
    for feature in kind.all_features:
        if feature.name in {"sofa", "begin", "end", "value"}:
            continue
        value = fs.get(feature.name)
        if isinstance(value, str | int | float | bool) and value not in ("", None):
            extra.append(f"{feature.name}: {value}")
    value = fs.get("value") if kind.get_feature("value") is not None else None
    return LabelDraft(
        where=where,
        label=value if isinstance(value, str) and value else kind.short_name,
        start=fs.begin,
        end=fs.end,
        author=fallback_author,
        note="\n".join(extra),
    )


def _read_cas(cas: Cas, name: str, limits: ReadLimits) -> LabelledText:
    text = cas.sofa_string
    if text is None:
        raise FormatError(name, "sofaString", "the CAS has no text")
    author = _user_of(name)
    labels, skipped, title = [], [], PurePosixPath(name).stem
    for fs in cas.select_all_fs():
        kind = fs.type
        if kind.name == METADATA and fs.get("documentTitle"):
            title = fs.get("documentTitle")
        if kind.name.startswith(STRUCTURE) or kind.name.startswith("uima."):
            continue
        is_span = isinstance(getattr(fs, "begin", None), int) and isinstance(getattr(fs, "end", None), int)
        if not is_span or _is_relation(kind):
            skipped.append((f"XMI {kind.short_name}", f"{name}: {fs.xmiID}"))
            continue
        label = _label(fs, name, author)
        problem = span_problem(label.start, label.end, len(text), "the document's text")
        if problem is not None:
            raise FormatError(label.where, problem[0], problem[1])
        if not label.label:
            raise FormatError(label.where, "theme", "the span names no theme")
        labels.append(label)
        check_count(len(labels), name, "(spans)", limits)
    return LabelledText(
        where=name, text=text, labels=tuple(labels), skipped=tuple(skipped), title=title, document=True
    )


def read_xmi(file: BinaryIO, limits: ReadLimits) -> Iterator[LabelledText]:
    """Each `.xmi` of the zip, in name order, read with the archive's type system."""
    with open_archive(file, "an XMI export") as archive:
        names = sorted(info.filename for info in archive.infolist() if not info.is_dir())
        documents = [n for n in names if n.lower().endswith(".xmi")]
        if not documents:
            raise FormatError("archive", "(.xmi)", "no .xmi files")
        types = _types(archive, names, limits)
        for name in documents:
            yield _read_cas(_load(read_document(archive, name, limits), name, types), name, limits)
