"""REFI-QDA (QDA-XML 1.0): `qdpx` projects and `qdc` codebooks, as NVivo, ATLAS.ti, MAXQDA and
QualCoder exchange them.

A qdpx is a zip with `project.qde` (valid against Project.xsd) and each source's text as UTF-8 in
`Sources/<guid>.txt`. The codebook becomes nested `Code`s, users `User`s, each annotation one
`PlainTextSelection` whose startPosition/endPosition count Unicode code points (characters) into the
source's text, end-exclusive, holding one `Coding` of the theme; a note becomes a `Note` referenced
from its selection. A whole-passage tag is a selection over the passage named "passage <ordinal>".

Every GUID is a UUID 5 of a stable key (username, theme slug, source sha256, annotation key), and
zip entries carry fixed dates, so the same data always gives the same bytes."""

import re
import tempfile
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, BinaryIO

from lxml import etree

from .bounded import ReadLimits, open_member, read_member
from .records import (
    AnnotationRecord,
    Dataset,
    FormatError,
    PassageBundle,
    ThemeRecord,
    codebook_order,
    format_timestamp,
    parse_timestamp,
    span_problem,
)
from .sink import ChunkSink

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://sco-annot.invalid/refi-qda")
ORIGIN = "sco-annot"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
SPOOL_BYTES = 16 * 1024 * 1024


def guid(kind: str, *key: object) -> str:
    return str(uuid.uuid5(NAMESPACE, kind + ":" + "|".join("" if k is None else str(k) for k in key)))


def user_guid(username: str) -> str:
    return guid("user", username)


def code_guid(slug: str) -> str:
    return guid("theme", slug)


def source_guid(sha256: str) -> str:
    return guid("source", sha256)


def whole_passage_name(ordinal: int) -> str:
    return f"passage {ordinal}"


# --- writing -----------------------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    value = _NOT_XML.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(value: object) -> str:
    text = _text(str(value)).replace('"', "&quot;")
    return text.replace("\n", "&#10;").replace("\t", "&#9;")


def _attrs(**values: object) -> str:
    return "".join(f' {name}="{_attr(value)}"' for name, value in values.items() if value is not None)


def _code_xml(theme: ThemeRecord, children: dict[str | None, list[ThemeRecord]], depth: int) -> str:
    pad = "  " * depth
    kids = children.get(theme.slug, [])
    attrs = _attrs(guid=code_guid(theme.slug), name=theme.name, isCodable="true", color=theme.color)
    head = f"{pad}<Code{attrs}"
    if not theme.description and not kids:
        return head + "/>\n"
    inner = f"{pad}  <Description>{_text(theme.description)}</Description>\n" if theme.description else ""
    inner += "".join(_code_xml(kid, children, depth + 1) for kid in kids)
    return f"{head}>\n{inner}{pad}</Code>\n"


def codes_xml(themes: tuple[ThemeRecord, ...], depth: int) -> str:
    ordered = codebook_order(themes)
    known = {t.slug for t in ordered}
    children: dict[str | None, list[ThemeRecord]] = {}
    for theme in ordered:
        children.setdefault(theme.parent if theme.parent in known else None, []).append(theme)
    pad = "  " * depth
    body = "".join(_code_xml(theme, children, depth + 1) for theme in children.get(None, []))
    return f"{pad}<Codes>\n{body}{pad}</Codes>\n"


def export_qdc(dataset: Dataset) -> Iterator[bytes]:
    yield (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<CodeBook xmlns="{CODEBOOK_NS}" origin="{ORIGIN}">\n'
        + codes_xml(dataset.themes, 1)
        + "</CodeBook>\n"
    ).encode("utf-8")


def _zip_entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


def _selection_keys(bundle: PassageBundle) -> list[tuple]:
    """GUID keys of a passage's selections. REFI-QDA has no place for a session, so the key leaves it
    out (a qdpx read back has none) and numbers the rare tags that differ only by session."""
    seen: dict[tuple, int] = {}
    keys = []
    for a in bundle.annotations:
        base = (bundle.source.sha256, bundle.passage.ordinal, a.theme, a.author, a.start, a.end)
        seen[base] = seen.get(base, -1) + 1
        keys.append((*base, seen[base]) if seen[base] else base)
    return keys


def _selection_xml(bundle: PassageBundle, annotation: AnnotationRecord, key: tuple) -> tuple[str, str]:
    """The selection's XML, and its note's XML ("" without a note)."""
    passage = bundle.passage
    whole = annotation.start is None
    start = passage.start + (0 if whole else annotation.start)
    end = passage.start + (len(passage.text) if whole else annotation.end)
    author = user_guid(annotation.author)
    created = format_timestamp(annotation.created)
    selection = (
        "      <PlainTextSelection"
        + _attrs(
            guid=guid("selection", *key),
            name=whole_passage_name(passage.ordinal) if whole else annotation.quote[:80],
            startPosition=start,
            endPosition=end,
            creatingUser=author,
            creationDateTime=created,
            modifyingUser=author,
            modifiedDateTime=format_timestamp(annotation.updated),
        )
        + ">\n"
        + f"        <Coding{_attrs(guid=guid('coding', *key), creatingUser=author, creationDateTime=created)}"
        + ">\n"
        + f'          <CodeRef targetGUID="{code_guid(annotation.theme)}"/>\n'
        + "        </Coding>\n"
    )
    note = ""
    if annotation.note:
        note_guid = guid("note", *key)
        selection += f'        <NoteRef targetGUID="{note_guid}"/>\n'
        note = (
            f"    <Note{_attrs(guid=note_guid, name='Note', creatingUser=author, creationDateTime=created)}"
            ">\n"
            f"      <PlainTextContent>{_text(annotation.note)}</PlainTextContent>\n"
            "    </Note>\n"
        )
    return selection + "      </PlainTextSelection>\n", note


def export_qdpx(dataset: Dataset) -> Iterator[bytes]:
    sink = ChunkSink()
    with (
        zipfile.ZipFile(sink, "w") as archive,
        tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8") as sources,
        tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8") as notes,
    ):
        current: str | None = None
        for bundle in dataset.bundles:
            source = bundle.source
            if source.sha256 != current:
                if current is not None:
                    sources.write("    </TextSource>\n")
                current = source.sha256
                yield from _start_source(archive, sink, sources, bundle)
            for annotation, key in zip(bundle.annotations, _selection_keys(bundle), strict=True):
                selection, note = _selection_xml(bundle, annotation, key)
                sources.write(selection)
                notes.write(note)
        if current is not None:
            sources.write("    </TextSource>\n")
        with archive.open(_zip_entry("project.qde"), "w") as entry:
            entry.write(_project_head(dataset).encode("utf-8"))
            for spool, tag in ((sources, "Sources"), (notes, "Notes")):
                if spool.tell() == 0:
                    continue
                spool.seek(0)
                entry.write(f"  <{tag}>\n".encode())
                while block := spool.read(1 << 20):
                    entry.write(block.encode("utf-8"))
                entry.write(f"  </{tag}>\n".encode())
            entry.write(b"</Project>\n")
            yield sink.drain()
    yield sink.drain()


def _start_source(
    archive: zipfile.ZipFile, sink: ChunkSink, sources: IO[str], bundle: PassageBundle
) -> Iterator[bytes]:
    source = bundle.source
    source_id = source_guid(source.sha256)
    path = f"internal://{source_id}.txt"
    sources.write(f"    <TextSource{_attrs(guid=source_id, name=source.title, plainTextPath=path)}>\n")
    if source.citation:
        sources.write(f"      <Description>{_text(source.citation)}</Description>\n")
    with archive.open(_zip_entry(f"Sources/{source_id}.txt"), "w") as entry:
        entry.write(source.text.encode("utf-8"))
    yield sink.drain()


def _project_head(dataset: Dataset) -> str:
    head = '<?xml version="1.0" encoding="utf-8"?>\n'
    head += f'<Project xmlns="{PROJECT_NS}"{_attrs(name=dataset.name, origin=ORIGIN)}>\n'
    if dataset.users:
        head += "  <Users>\n"
        for user in dataset.users:
            head += f"    <User{_attrs(guid=user_guid(user.username), name=user.username)}/>\n"
        head += "  </Users>\n"
    if dataset.themes:
        head += "  <CodeBook>\n" + codes_xml(dataset.themes, 2) + "  </CodeBook>\n"
    return head


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QdaCode:
    guid: str
    name: str
    description: str
    color: str
    parent: str | None  # parent code's guid
    order: int


@dataclass(frozen=True)
class QdaCoding:
    code: str  # code guid
    user: str | None  # user guid
    created: datetime | None
    notes: tuple[str, ...] = ()  # texts of the notes the coding refers to


@dataclass(frozen=True)
class QdaSelection:
    guid: str
    name: str
    start: int
    end: int
    user: str | None
    created: datetime | None
    modified: datetime | None
    codings: tuple[QdaCoding, ...]
    notes: tuple[str, ...]  # note texts


@dataclass
class QdaSource:
    guid: str
    name: str
    description: str
    text: str
    selections: list[QdaSelection] = field(default_factory=list)
    notes: tuple[str, ...] = ()  # texts of the notes on the source itself


@dataclass
class QdaProject:
    name: str
    users: dict[str, str]  # guid -> name
    codes: list[QdaCode]
    sources: Iterable[QdaSource]
    # What QDA-XML holds that the project cannot: (kind, example) pairs, for the import's report.
    skipped: list[tuple[str, str]] = field(default_factory=list)


# Sources that are not plain text: the project holds text only.
_OTHER_SOURCES = ("PDFSource", "PictureSource", "AudioSource", "VideoSource")


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _read_codes(parent: etree._Element, ns: str, where: str, limits: ReadLimits) -> list[QdaCode]:
    codes: list[QdaCode] = []

    def walk(element: etree._Element, parent_guid: str | None, depth: int) -> None:
        for order, code in enumerate(element.findall(_q(ns, "Code"))):
            if depth > limits.depth:
                raise FormatError(
                    f"{where} line {code.sourceline}",
                    "Code",
                    f"codes nested more than {limits.depth} deep (the IMPORT_MAX_DEPTH setting)",
                )
            code_id = code.get("guid")
            name = code.get("name")
            if not code_id or name is None:
                raise FormatError(f"{where} line {code.sourceline}", "Code", "a Code needs guid and name")
            description = code.findtext(_q(ns, "Description")) or ""
            color = code.get("color") or "#4c6ef5"
            if len(color) == 4:  # #rgb
                color = "#" + "".join(c * 2 for c in color[1:])
            codes.append(
                QdaCode(code_id.strip("{}").lower(), name, description, color.lower(), parent_guid, order)
            )
            walk(code, code_id.strip("{}").lower(), depth + 1)

    codes_element = parent.find(_q(ns, "Codes"))
    if codes_element is not None:
        walk(codes_element, None, 1)
    return codes


def _parse(data: bytes, where: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise FormatError(f"{where} line {exc.lineno}", "(xml)", exc.msg) from exc


def read_qdc(data: bytes, limits: ReadLimits) -> list[QdaCode]:
    root = _parse(data, "codebook")
    if root.tag != _q(CODEBOOK_NS, "CodeBook"):
        raise FormatError("codebook", "CodeBook", f"expected a REFI-QDA CodeBook, found <{root.tag}>")
    return _read_codes(root, CODEBOOK_NS, "codebook", limits)


def _moment(element: etree._Element, name: str, where: str) -> datetime | None:
    value = element.get(name)
    if value is None:
        return None
    try:
        return parse_timestamp(value)
    except ValueError as exc:
        raise FormatError(f"{where} line {element.sourceline}", name, f"not a dateTime: {value!r}") from exc


def _position(element: etree._Element, name: str, where: str) -> int:
    value = element.get(name)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise FormatError(
            f"{where} line {element.sourceline}", name, f"expected a number, got {value!r}"
        ) from None


def _source_text(archive: zipfile.ZipFile, source: etree._Element, where: str, limits: ReadLimits) -> str:
    content = source.findtext(_q(PROJECT_NS, "PlainTextContent"))
    if content is not None:
        return content
    path = source.get("plainTextPath")
    if not path:
        raise FormatError(f"{where} line {source.sourceline}", "plainTextPath", "the source has no text")
    if path.startswith("internal://"):
        name = "Sources/" + path.removeprefix("internal://")
    elif "://" in path:
        raise FormatError(
            f"{where} line {source.sourceline}", "plainTextPath", f"{path} is outside the archive"
        )
    else:
        name = path.lstrip("/")
    names = {n.lower(): n for n in archive.namelist()}
    if name.lower() not in names:
        raise FormatError(
            f"{where} line {source.sourceline}", "plainTextPath", f"{name} is missing from the archive"
        )
    return read_member(archive, names[name.lower()], limits).decode("utf-8-sig")


def _iterparse(
    archive: zipfile.ZipFile, name: str, tags: tuple[str, ...], limits: ReadLimits
) -> Iterator[etree._Element]:
    member = open_member(archive, name, limits)
    events = etree.iterparse(
        member, events=("end",), tag=tags, huge_tree=True, resolve_entities=False, no_network=True
    )
    try:
        for _, element in events:
            yield element
    except etree.XMLSyntaxError as exc:
        raise FormatError(f"{name} line {exc.lineno}", "(xml)", exc.msg) from exc
    finally:
        member.close()


def _forget(element: etree._Element) -> None:
    """Drop an element read in full, and what came before it, so memory stays flat."""
    element.clear()
    while element.getprevious() is not None:
        del element.getparent()[0]


def _open(file: BinaryIO) -> tuple[zipfile.ZipFile, str]:
    try:
        archive = zipfile.ZipFile(file)
    except zipfile.BadZipFile as exc:
        raise FormatError("archive", "(zip)", "not a zip file (a .qdpx is one)") from exc
    qde = next((n for n in archive.namelist() if n.lower().rsplit("/", 1)[-1] == "project.qde"), None)
    if qde is None:
        archive.close()
        raise FormatError("archive", "project.qde", "missing")
    return archive, qde


def _guid(value: str | None) -> str:
    return (value or "").strip("{}").lower()


def read_qdpx(file: BinaryIO, limits: ReadLimits) -> QdaProject:
    """Read a qdpx archive: users, codes and notes at once; text sources, with their selections,
    codings and notes, one at a time as `sources` is iterated (two passes over project.qde, so a
    project of a million codings is never in memory at once)."""
    ns = PROJECT_NS
    archive, qde = _open(file)
    users: dict[str, str] = {}
    codes: list[QdaCode] = []
    notes: dict[str, str] = {}
    skipped: list[tuple[str, str]] = []
    tags = tuple(_q(ns, t) for t in ("User", "CodeBook", "Note", "TextSource", "Set", *_OTHER_SOURCES))
    with archive:
        root_checked = False
        for element in _iterparse(archive, qde, tags, limits):
            if not root_checked:
                root = element.getroottree().getroot()
                if root.tag != _q(ns, "Project"):
                    raise FormatError(qde, "Project", f"expected a REFI-QDA Project, found <{root.tag}>")
                name = root.get("name") or ""
                root_checked = True
            if element.tag == _q(ns, "User"):
                users[_guid(element.get("guid"))] = element.get("name") or element.get("id") or ""
            elif element.tag == _q(ns, "CodeBook"):
                codes = _read_codes(element, ns, qde, limits)
            elif element.tag == _q(ns, "Note"):
                notes[_guid(element.get("guid"))] = element.findtext(_q(ns, "PlainTextContent")) or ""
            elif element.tag == _q(ns, "Set"):
                skipped.append(("Set", element.get("name") or ""))
            elif element.tag != _q(ns, "TextSource"):
                skipped.append((etree.QName(element).localname, element.get("name") or ""))
            _forget(element)
        if not root_checked:
            raise FormatError(qde, "Project", "no users, codes or sources in the project")
    return QdaProject(
        name=name, users=users, codes=codes, sources=_sources(file, notes, limits), skipped=skipped
    )


def _sources(file: BinaryIO, notes: dict[str, str], limits: ReadLimits) -> Iterator[QdaSource]:
    ns = PROJECT_NS
    archive, qde = _open(file)
    with archive:
        for element in _iterparse(archive, qde, (_q(ns, "TextSource"),), limits):
            if element.getparent() is None or element.getparent().tag != _q(ns, "Sources"):
                continue
            yield _read_source(archive, element, notes, qde, limits)
            _forget(element)


def _read_source(
    archive: zipfile.ZipFile, element: etree._Element, notes: dict[str, str], where: str, limits: ReadLimits
) -> QdaSource:
    ns = PROJECT_NS
    source = QdaSource(
        guid=_guid(element.get("guid")),
        name=element.get("name") or "",
        description=element.findtext(_q(ns, "Description")) or "",
        text=_source_text(archive, element, where, limits),
        notes=_referenced(element, notes),
    )
    for selection in element.iterfind(_q(ns, "PlainTextSelection")):
        start = _position(selection, "startPosition", where)
        end = _position(selection, "endPosition", where)
        problem = span_problem(start, end, len(source.text), "the source text")
        if problem is not None:
            field, message = problem
            raise FormatError(
                f"{where} line {selection.sourceline}, TextSource '{source.name}'",
                f"{field}Position",
                message,
            )
        codings = []
        for coding in selection.iterfind(_q(ns, "Coding")):
            ref = coding.find(_q(ns, "CodeRef"))
            codings.append(
                QdaCoding(
                    code=_guid(ref.get("targetGUID")) if ref is not None else "",
                    user=_guid(coding.get("creatingUser")) or None,
                    created=_moment(coding, "creationDateTime", where),
                    notes=_referenced(coding, notes),
                )
            )
        source.selections.append(
            QdaSelection(
                guid=_guid(selection.get("guid")),
                name=selection.get("name") or "",
                start=start,
                end=end,
                user=_guid(selection.get("creatingUser")) or None,
                created=_moment(selection, "creationDateTime", where),
                modified=_moment(selection, "modifiedDateTime", where),
                codings=tuple(codings),
                notes=_referenced(selection, notes),
            )
        )
    return source


def _referenced(element: etree._Element, notes: dict[str, str]) -> tuple[str, ...]:
    """The texts of the notes an element refers to (NoteRef children)."""
    refs = [_guid(ref.get("targetGUID")) for ref in element.iterfind(_q(PROJECT_NS, "NoteRef"))]
    return tuple(notes[ref] for ref in refs if ref in notes)
