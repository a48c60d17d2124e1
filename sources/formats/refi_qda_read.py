"""REFI-QDA (QDA-XML 1.0) read: a qdpx project's users, codes, notes and text sources with their
selections and codings, one source at a time, or a qdc codebook (see refi_qda.py for the format)."""

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

from lxml import etree

from .bounded import ReadLimits, open_member, read_member
from .records import FormatError, parse_timestamp, span_problem
from .refi_qda import CODEBOOK_NS, PROJECT_NS, STATUS_SET_PREFIX


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
    status: str | None = None  # the review status our qdpx records as a Set of status notes


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
    statuses: dict[str, str] = {}  # status note guid -> the review status it records
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
            elif element.tag == _q(ns, "Set") and _status_of(element.get("name")):
                status = _status_of(element.get("name"))
                for member in element.iterfind(_q(ns, "MemberNote")):
                    statuses[_guid(member.get("targetGUID"))] = status
            elif element.tag == _q(ns, "Set"):
                skipped.append(("Set", element.get("name") or ""))
            elif element.tag != _q(ns, "TextSource"):
                skipped.append((etree.QName(element).localname, element.get("name") or ""))
            _forget(element)
        if not root_checked:
            raise FormatError(qde, "Project", "no users, codes or sources in the project")
    # A status note is the coding's status, not a note of its text.
    statuses = {ref: status for ref, status in statuses.items() if notes.pop(ref, None) is not None}
    return QdaProject(
        name=name, users=users, codes=codes, sources=_sources(file, notes, statuses, limits), skipped=skipped
    )


def _status_of(set_name: str | None) -> str | None:
    """The review status a Set of our qdpx stands for ("Review status: approved"), or None."""
    if set_name and set_name.startswith(STATUS_SET_PREFIX):
        return set_name.removeprefix(STATUS_SET_PREFIX).strip() or None
    return None


def _sources(
    file: BinaryIO, notes: dict[str, str], statuses: dict[str, str], limits: ReadLimits
) -> Iterator[QdaSource]:
    ns = PROJECT_NS
    archive, qde = _open(file)
    with archive:
        for element in _iterparse(archive, qde, (_q(ns, "TextSource"),), limits):
            if element.getparent() is None or element.getparent().tag != _q(ns, "Sources"):
                continue
            yield _read_source(archive, element, notes, statuses, qde, limits)
            _forget(element)


def _read_source(
    archive: zipfile.ZipFile,
    element: etree._Element,
    notes: dict[str, str],
    statuses: dict[str, str],
    where: str,
    limits: ReadLimits,
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
                status=next(
                    (statuses[ref] for ref in _refs(selection) if ref in statuses),
                    None,
                ),
            )
        )
    return source


def _refs(element: etree._Element) -> list[str]:
    return [_guid(ref.get("targetGUID")) for ref in element.iterfind(_q(PROJECT_NS, "NoteRef"))]


def _referenced(element: etree._Element, notes: dict[str, str]) -> tuple[str, ...]:
    """The texts of the notes an element refers to (NoteRef children)."""
    return tuple(notes[ref] for ref in _refs(element) if ref in notes)
