"""brat standoff: a zip of one `<name>.txt` (the source's text, UTF-8) and `<name>.ann` per source,
with `annotation.conf` (the codebook as brat's entity hierarchy, the attributes) and `visual.conf`
(theme names and colours), as brat serves a collection and most NLP corpora are published.

In the `.ann`, each tag is a text-bound `T` line, `T3<TAB>terrorism 12 21<TAB>terrorism`: the theme's
slug and start/end offsets in code points into the `.txt`, end-exclusive; a span over a line break is
written as fragments split there (`12 20;21 30`), as brat does. `A` lines give what brat keeps as
attributes: `Status` (draft, submitted, approved, rejected), `Author` (the username) and
`WholePassage` (the tag marks its whole passage); a `#` `AnnotatorNotes` line holds the note, line
breaks written as `\\n` (and a backslash as `\\\\`). Sessions, timestamps and claims have no place in brat.

Read back, `T` lines become tags, fragments separated by white space only joining into one span and
other fragments each a tag; relations (`R`), events (`E`), equivalences (`*`), normalisations (`N`)
and attributes other than ours are counted as skipped. The quoted text of a `T` line must be the
text at its offsets."""

import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

from .bounded import ReadLimits, check_count, open_archive, read_document
from .records import Dataset, FormatError, LabelDraft, LabelledText, ThemeRecord, codebook_order, span_problem
from .sink import ChunkSink
from .zip_members import zip_member

STATUSES = ("draft", "submitted", "approved", "rejected")
_NOT_NAME = re.compile(r"[^\w]+")
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNESCAPE = re.compile(r"\\([\\nrt])")
_SKIPPED = {"R": "brat relation", "E": "brat event", "*": "brat equivalence", "N": "brat normalisation"}


def document_name(title: str, sha256: str) -> str:
    """A source's file name in the archive: its title as a slug, then its text's hash, for uniqueness."""
    slug = _NOT_NAME.sub("-", title.casefold()).strip("-")[:60]
    return f"{slug or 'source'}-{sha256[:8]}"


def _escape(note: str) -> str:
    return "".join(_ESCAPES.get(char, char) for char in note)


def _unescape(note: str) -> str:
    return _UNESCAPE.sub(lambda m: {"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}[m.group(1)], note)


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span as brat writes it: split at line breaks, without empty pieces."""
    pieces, begin = [], start
    for index in range(start, end + 1):
        if index == end or text[index] in "\r\n":
            if index > begin:
                pieces.append((begin, index))
            begin = index + 1
    return pieces or [(start, end)]


# --- writing -----------------------------------------------------------------------------------


def _conf(themes: tuple[ThemeRecord, ...], users: Iterable[str]) -> str:
    depth = {t.slug: t.path.count("/") for t in themes}
    entities = ["\t" * depth[t.slug] + t.slug for t in codebook_order(themes)]
    authors = "|".join(sorted(users))
    attributes = [f"Status\tArg:<ENTITY>, Value:{'|'.join(STATUSES)}", "WholePassage\tArg:<ENTITY>"]
    if authors:
        attributes.insert(1, f"Author\tArg:<ENTITY>, Value:{authors}")
    return "\n".join(
        [
            "[entities]",
            *entities,
            "",
            "[relations]",
            "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
            "",
            "[events]",
            "",
            "[attributes]",
            *attributes,
            "",
        ]
    )


def _visual(themes: tuple[ThemeRecord, ...]) -> str:
    ordered = codebook_order(themes)
    labels = [f"{t.slug} | {t.name.replace('|', '/')}" for t in ordered]
    colours = [f"{t.slug}\tbgColor:{t.color}" for t in ordered]
    return "\n".join(["[labels]", *labels, "", "[drawing]", *colours, ""])


def _ann(text: str, tags: list[tuple]) -> str:
    lines: list[str] = []
    attribute = note = 0
    for number, (start, end, theme, author, status, whole, note_text) in enumerate(sorted(tags), start=1):
        pieces = fragments(text, start, end)
        offsets = ";".join(f"{s} {e}" for s, e in pieces)
        quoted = " ".join(text[s:e] for s, e in pieces)
        lines.append(f"T{number}\t{theme} {offsets}\t{quoted}")
        for name, value in (("Status", status), ("Author", author)):
            attribute += 1
            lines.append(f"A{attribute}\t{name} T{number} {value}")
        if whole:
            attribute += 1
            lines.append(f"A{attribute}\tWholePassage T{number}")
        if note_text:
            note += 1
            lines.append(f"#{note}\tAnnotatorNotes T{number}\t{_escape(note_text)}")
    return "".join(line + "\n" for line in lines)


def export_brat(dataset: Dataset) -> Iterator[bytes]:
    sink = ChunkSink()
    users: set[str] = set()
    with zipfile.ZipFile(sink, "w") as archive:
        current, text, name, tags = None, "", "", []

        def close() -> None:
            with archive.open(zip_member(f"{name}.txt"), "w") as entry:
                entry.write(text.encode("utf-8"))
            with archive.open(zip_member(f"{name}.ann"), "w") as entry:
                entry.write(_ann(text, tags).encode("utf-8"))

        for bundle in dataset.bundles:
            if bundle.source.sha256 != current:
                if current is not None:
                    close()
                    yield sink.drain()
                current, text, tags = bundle.source.sha256, bundle.source.text, []
                name = document_name(bundle.source.title, current)
            passage = bundle.passage
            for a in bundle.annotations:
                whole = a.start is None
                start = passage.start + (0 if whole else a.start)
                end = passage.start + (len(passage.text) if whole else a.end)
                tags.append((start, end, a.theme, a.author, a.status, whole, a.note))
                users.add(a.author)
        if current is not None:
            close()
        archive.writestr(
            zip_member("annotation.conf"), _conf(dataset.themes, users | {u.username for u in dataset.users})
        )
        archive.writestr(zip_member("visual.conf"), _visual(dataset.themes))
    yield sink.drain()


# --- reading -----------------------------------------------------------------------------------


class _Document:
    """The `T` lines of one `.ann` and what `A` and `#` lines say about them."""

    def __init__(self, name: str, text: str) -> None:
        self.name, self.text = name, text
        self.spans: dict[str, tuple[str, str, list[tuple[int, int]]]] = {}  # id -> (where, label, fragments)
        self.attributes: dict[str, dict[str, str | None]] = defaultdict(dict)
        self.notes: dict[str, list[str]] = defaultdict(list)
        self.skipped: list[tuple[str, str]] = []
        self.references: list[tuple[str, str, str]] = []  # (where, id, the T line it names)

    def text_bound(self, where: str, ident: str, rest: str) -> None:
        head, tab, quoted = rest.partition("\t")
        label, _, offsets = head.partition(" ")
        if not tab or not label or not offsets:
            raise FormatError(where, ident, "expected 'T<n><TAB><type> <start> <end><TAB><text>'")
        pieces = []
        for piece in offsets.split(";"):
            numbers = piece.split()
            if len(numbers) != 2 or not all(n.isdigit() for n in numbers):
                raise FormatError(where, ident, f"offsets must be '<start> <end>', got {piece!r}")
            start, end = int(numbers[0]), int(numbers[1])
            problem = span_problem(start, end, len(self.text), f"{self.name.removesuffix('.ann')}.txt")
            if problem is not None:
                raise FormatError(where, f"{ident} {problem[0]}", problem[1])
            pieces.append((start, end))
        covered = " ".join(self.text[s:e] for s, e in pieces)
        if covered != quoted:
            raise FormatError(where, ident, f"{quoted!r} is not the text at {offsets} ({covered!r})")
        self.spans[ident] = (where, label, pieces)

    def attribute(self, where: str, ident: str, rest: str) -> None:
        parts = rest.split()
        if len(parts) not in (2, 3):
            raise FormatError(where, ident, "expected 'A<n><TAB><name> <id> [<value>]'")
        name, target = parts[0], parts[1]
        if name not in {"Status", "Author", "WholePassage"} or not target.startswith("T"):
            self.skipped.append(("brat attribute", f"{self.name}: {rest}"))
            return
        self.attributes[target][name] = parts[2] if len(parts) == 3 else None
        self.references.append((where, ident, target))

    def note(self, where: str, ident: str, rest: str) -> None:
        head, _, note = rest.partition("\t")
        kind, _, target = head.partition(" ")
        if kind != "AnnotatorNotes" or not target.startswith("T"):
            self.skipped.append(("brat note", f"{self.name}: {note or rest}"))
            return
        self.notes[target].append(_unescape(note))
        self.references.append((where, ident, target))

    def labels(self) -> list[LabelDraft]:
        for where, ident, target in self.references:
            if target not in self.spans:
                raise FormatError(where, ident, f"refers to {target}, which the file does not define")
        drafts = []
        for ident, (where, label, pieces) in self.spans.items():
            said = self.attributes.get(ident, {})
            status = said.get("Status")
            if status is not None and status not in STATUSES:
                raise FormatError(where, f"{ident} Status", f"unknown status {status!r}")
            for start, end in _joined(self.text, pieces):
                drafts.append(
                    LabelDraft(
                        where=f"{where}, {ident}",
                        label=label,
                        start=start,
                        end=end,
                        author=said.get("Author"),
                        note="\n\n".join(self.notes.get(ident, ())),
                        status=status,
                        whole="WholePassage" in said,
                    )
                )
        return drafts


def _joined(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Fragments separated by white space only are one span (brat splits a span at line breaks)."""
    joined = [pieces[0]]
    for start, end in pieces[1:]:
        last_start, last_end = joined[-1]
        if last_end <= start and not text[last_end:start].strip():
            joined[-1] = (last_start, end)
        else:
            joined.append((start, end))
    return joined


def _read_document(name: str, text: str, ann: str, limits: ReadLimits) -> LabelledText:
    document = _Document(name, text)
    for number, line in enumerate(ann.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        where = f"{name} line {number}"
        ident, _, rest = line.partition("\t")
        kind = ident[:1]
        if kind == "T":
            document.text_bound(where, ident, rest)
            check_count(len(document.spans), name, "T", limits)
        elif kind in {"A", "M"}:
            document.attribute(where, ident, rest)
        elif kind == "#":
            document.note(where, ident, rest)
        elif kind in _SKIPPED:
            document.skipped.append((_SKIPPED[kind], f"{name}: {line[:80]}"))
        else:
            raise FormatError(
                where, ident or "(line)", "not a brat annotation (T, A, M, R, E, N, * or # line)"
            )
    stem = PurePosixPath(name).stem
    return LabelledText(
        where=name,
        text=text,
        labels=tuple(document.labels()),
        skipped=tuple(document.skipped),
        title=re.sub(r"-[0-9a-f]{8}$", "", stem),
        document=True,
    )


def _sections(conf: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = defaultdict(list)
    current = ""
    for line in conf.split("\n"):
        line = line.rstrip("\r")
        if line.strip().startswith("[") and line.strip().endswith("]"):
            current = line.strip()[1:-1]
        elif line.strip() and not line.lstrip().startswith("#"):
            sections[current].append(line)
    return sections


def read_codebook(conf: str, visual: str) -> list[ThemeRecord]:
    """The entity types of `annotation.conf` (nested by tab indentation; `!name` groups are types
    too), with names and colours from `visual.conf` where it gives them."""
    labels, colours = {}, {}
    for line in _sections(visual).get("labels", []):
        slug, _, names = line.partition("|")
        if names.strip():
            labels[slug.strip()] = names.split("|")[0].strip()
    for line in _sections(visual).get("drawing", []):
        slug, _, style = line.partition("\t")
        match = re.search(r"bgColor:(#[0-9a-fA-F]{6})\b", style)
        if match:
            colours[slug.strip()] = match.group(1).lower()
    themes: list[ThemeRecord] = []
    parents: list[str] = []  # the open chain of entity types, by depth
    counts: dict[str | None, int] = defaultdict(int)
    for line in _sections(conf).get("entities", []):
        depth = len(line) - len(line.lstrip("\t"))
        slug = line.strip().split()[0].lstrip("!")
        if slug.startswith("<"):  # <ENTITY>-style macros
            continue
        parents = parents[:depth]
        parent = parents[-1] if parents else None
        themes.append(
            ThemeRecord(
                slug=slug,
                name=labels.get(slug, slug),
                color=colours.get(slug, "#4c6ef5"),
                parent=parent,
                order=counts[parent],
            )
        )
        counts[parent] += 1
        parents.append(slug)
    return themes


@dataclass
class BratCollection:
    themes: list[ThemeRecord]  # from annotation.conf and visual.conf, if the archive has them
    documents: Iterator[LabelledText]


def read_brat(file: BinaryIO, limits: ReadLimits) -> BratCollection:
    """The codebook of the archive's configuration, and each `.ann` with the `.txt` beside it (same
    name), in name order, read as `documents` is iterated."""
    archive = open_archive(file, "a brat collection")
    names = {info.filename for info in archive.infolist() if not info.is_dir()}
    anns = sorted(n for n in names if n.endswith(".ann"))
    if not anns:
        archive.close()
        raise FormatError(
            "archive", "(.ann)", "no .ann files: a brat collection has a .txt and .ann per document"
        )
    confs = {PurePosixPath(n).name: n for n in sorted(names, reverse=True) if n.endswith(".conf")}
    texts = {
        name: _utf8(archive, confs[name], limits) if name in confs else ""
        for name in ("annotation.conf", "visual.conf")
    }
    return BratCollection(
        read_codebook(texts["annotation.conf"], texts["visual.conf"]),
        _documents(archive, anns, names, limits),
    )


def _documents(
    archive: zipfile.ZipFile, anns: list[str], names: set[str], limits: ReadLimits
) -> Iterator[LabelledText]:
    with archive:
        for name in anns:
            txt = name.removesuffix(".ann") + ".txt"
            if txt not in names:
                raise FormatError("archive", name, f"{txt} is missing beside it")
            text, ann = (_utf8(archive, member, limits) for member in (txt, name))
            yield _read_document(name, text, ann, limits)


def _utf8(archive: zipfile.ZipFile, name: str, limits: ReadLimits) -> str:
    try:
        return read_document(archive, name, limits).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError("archive", name, f"not UTF-8 text (invalid byte at {exc.start})") from exc
