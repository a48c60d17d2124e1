"""REFI-QDA (QDA-XML 1.0): `qdpx` projects and `qdc` codebooks, as NVivo, ATLAS.ti, MAXQDA and
QualCoder exchange them.

A qdpx is a zip with `project.qde` (valid against Project.xsd) and each source's text as UTF-8 in
`Sources/<guid>.txt`. The codebook becomes nested `Code`s, users `User`s, each annotation one
`PlainTextSelection` whose startPosition/endPosition count Unicode code points (characters) into the
source's text, end-exclusive, holding one `Coding` of the theme; a note becomes a `Note` referenced
from its selection, and its review status a Note named "Review status" that is a member of the
Set of its status ("Review status: approved"). A whole-passage tag is a selection over the passage
named "passage <ordinal>".

Every GUID is a UUID 5 of a stable key (username, theme slug, source sha256, annotation key), and
zip entries carry fixed dates, so the same data always gives the same bytes."""

import re
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from typing import IO

from .records import (
    AnnotationRecord,
    Dataset,
    PassageBundle,
    SourceRecord,
    ThemeRecord,
    codebook_order,
    format_timestamp,
)
from .sink import ChunkSink
from .zip_members import zip_member

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://sco-annot.invalid/refi-qda")
ORIGIN = "sco-annot"
SPOOL_BYTES = 16 * 1024 * 1024
# Each coding's review status: a Note named so, member of the Set of its status.
STATUS_NOTE = "Review status"
STATUS_SET_PREFIX = "Review status: "


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
    notes = []
    for kind, name, text in (("note", "Note", annotation.note), ("status", STATUS_NOTE, annotation.status)):
        if not text:
            continue
        note_guid = guid(kind, *key)
        selection += f'        <NoteRef targetGUID="{note_guid}"/>\n'
        notes.append(
            f"    <Note{_attrs(guid=note_guid, name=name, creatingUser=author, creationDateTime=created)}"
            ">\n"
            f"      <PlainTextContent>{_text(text)}</PlainTextContent>\n"
            "    </Note>\n"
        )
    return selection + "      </PlainTextSelection>\n", "".join(notes)


def status_set_name(status: str) -> str:
    return f"{STATUS_SET_PREFIX}{status}"


def _status_sets(members: dict[str, IO[str]]) -> Iterator[str]:
    """A Set per review status, its members the status notes of the codings that have it: QDA-XML's
    Sets group codes, sources and notes, not selections, so each coding's status travels as a note."""
    yield "  <Sets>\n"
    for status in sorted(members):
        spool = members[status]
        spool.seek(0)
        yield f"    <Set{_attrs(guid=guid('status-set', status), name=status_set_name(status))}>\n"
        yield f"      <Description>Codings whose review status is {_text(status)}.</Description>\n"
        while block := spool.read(1 << 20):
            yield block
        yield "    </Set>\n"
    yield "  </Sets>\n"


def export_qdpx(dataset: Dataset) -> Iterator[bytes]:
    sink = ChunkSink()
    with (
        zipfile.ZipFile(sink, "w") as archive,
        tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8") as sources,
        tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8") as notes,
        ExitStack() as stack,
    ):
        current: str | None = None
        last_notes = ""
        statuses: dict[str, IO[str]] = {}
        for bundle in dataset.bundles:
            source = bundle.source
            if source.sha256 != current:
                if current is not None:
                    sources.write(_source_note_ref(current, last_notes) + "    </TextSource>\n")
                current, last_notes = source.sha256, source.notes
                notes.write(_source_note(source))
                yield from _start_source(archive, sink, sources, bundle)
            for annotation, key in zip(bundle.annotations, _selection_keys(bundle), strict=True):
                selection, note = _selection_xml(bundle, annotation, key)
                sources.write(selection)
                notes.write(note)
                if annotation.status not in statuses:
                    statuses[annotation.status] = stack.enter_context(
                        tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8")
                    )
                statuses[annotation.status].write(
                    f'      <MemberNote targetGUID="{guid("status", *key)}"/>\n'
                )
        if current is not None:
            sources.write(_source_note_ref(current, last_notes) + "    </TextSource>\n")
        with archive.open(zip_member("project.qde"), "w") as entry:
            entry.write(_project_head(dataset).encode("utf-8"))
            for spool, tag in ((sources, "Sources"), (notes, "Notes")):
                if spool.tell() == 0:
                    continue
                spool.seek(0)
                entry.write(f"  <{tag}>\n".encode())
                while block := spool.read(1 << 20):
                    entry.write(block.encode("utf-8"))
                entry.write(f"  </{tag}>\n".encode())
            if statuses:
                for block in _status_sets(statuses):
                    entry.write(block.encode("utf-8"))
            entry.write(b"</Project>\n")
            yield sink.drain()
    yield sink.drain()


def _source_note_ref(sha256: str, notes: str) -> str:
    """A TextSource's reference to its note, after its selections (Project.xsd's order)."""
    return f'      <NoteRef targetGUID="{guid("source-note", sha256)}"/>\n' if notes else ""


def _source_note(source: SourceRecord) -> str:
    if not source.notes:
        return ""
    return (
        f"    <Note{_attrs(guid=guid('source-note', source.sha256), name='Source note')}>\n"
        f"      <PlainTextContent>{_text(source.notes)}</PlainTextContent>\n"
        "    </Note>\n"
    )


def _start_source(
    archive: zipfile.ZipFile, sink: ChunkSink, sources: IO[str], bundle: PassageBundle
) -> Iterator[bytes]:
    source = bundle.source
    source_id = source_guid(source.sha256)
    path = f"internal://{source_id}.txt"
    sources.write(f"    <TextSource{_attrs(guid=source_id, name=source.title, plainTextPath=path)}>\n")
    if source.citation:
        sources.write(f"      <Description>{_text(source.citation)}</Description>\n")
    with archive.open(zip_member(f"Sources/{source_id}.txt"), "w") as entry:
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
