"""Reading files from outside within bounds, so that a hostile file is refused early and costs little.

A file to import comes from outside: a JSON document nested 100,000 deep would overflow the parser's
stack, a line with a million labels or a zip member that inflates a thousandfold would fill memory
before any record could be judged. Each check here runs before the costly step (parsing, inflating)
and refuses with a FormatError naming the record and field, so the import rolls back as for any
other bad record.
"""

import json
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, BinaryIO

from .records import FormatError

MIB = 1024 * 1024
# Members smaller than this are not held to the ratio: a page of blanks compresses a hundredfold
# and harms no one.
RATIO_FLOOR_BYTES = MIB
CHUNK_BYTES = MIB


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """The caps a reader applies (the IMPORT_MAX_* settings)."""

    depth: int  # JSON arrays/objects (or XML codes) inside each other
    labels: int  # labels, annotations or evidence links in one record (line, task)
    line_bytes: int  # one line of a JSON Lines file
    member_bytes: int  # one archive member once inflated
    ratio: int  # inflated size / compressed size of one archive member
    document_bytes: int = 32 * MIB  # one document parsed whole in memory (a CAS XMI, a brat .txt or .ann)


def lines(file: BinaryIO, limits: ReadLimits) -> Iterator[bytes]:
    """The lines of a file, each read with a bound: a line longer than the cap is refused before
    the rest of it is read."""
    number = 0
    while line := file.readline(limits.line_bytes + 1):
        number += 1
        if len(line) > limits.line_bytes and not line.endswith(b"\n"):
            raise FormatError(
                f"line {number}",
                "(line)",
                f"longer than {limits.line_bytes} bytes (the IMPORT_MAX_LINE_BYTES setting)",
            )
        yield line


# Strings (which may hold brackets) and runs of anything else than brackets: what is left by
# deleting them is the document's skeleton of [ ] { }.
_NOT_BRACKETS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[^\[\]{}"]+')


def nesting_depth(text: str) -> int:
    """How deep arrays and objects nest in a JSON text, found without parsing it."""
    depth = deepest = 0
    for char in _NOT_BRACKETS.sub("", text):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def parse_json(text: str, where: str, field: str, limits: ReadLimits) -> object:
    """json.loads, once the nesting is known to be within the cap (Python's parser recurses)."""
    if nesting_depth(text) > limits.depth:
        raise FormatError(
            where, field, f"nested more than {limits.depth} deep (the IMPORT_MAX_DEPTH setting)"
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(where, field, f"not JSON: {exc.msg} at column {exc.colno}") from exc


def json_lines(lines: Iterable[bytes | str], limits: ReadLimits) -> Iterator[tuple[str, object]]:
    """("line N", parsed JSON) for each non-blank line of a JSON Lines file; FormatError names a bad line."""
    for number, raw in enumerate(lines, start=1):
        line = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        if line.strip():
            yield f"line {number}", parse_json(line, f"line {number}", "(line)", limits)


def check_count(count: int, where: str, field: str, limits: ReadLimits) -> None:
    if count > limits.labels:
        raise FormatError(
            where, field, f"{count} items; at most {limits.labels} per record (the IMPORT_MAX_LABELS setting)"
        )


class _Member:
    """A file-like view of one archive member that counts what it inflates: more than the member
    declared, or than the cap, and the archive is refused; a damaged stream is refused too."""

    def __init__(self, stream: IO[bytes], name: str, budget: int) -> None:
        self.stream, self.name, self.budget, self.seen = stream, name, budget, 0

    def read(self, size: int = -1) -> bytes:
        try:
            data = self.stream.read(CHUNK_BYTES if size is None or size < 0 else size)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise FormatError("archive", self.name, f"damaged ({exc})") from exc
        self.seen += len(data)
        if self.seen > self.budget:
            raise FormatError("archive", self.name, f"inflates past {self.budget} bytes")
        return data

    def close(self) -> None:
        self.stream.close()


def open_member(archive: zipfile.ZipFile, name: str, limits: ReadLimits) -> _Member:
    """Open an archive member after checking its declared size and compression ratio; reading it
    then checks the bytes that actually come out, so a header that lies is caught too."""
    info = archive.getinfo(name)
    if info.file_size > limits.member_bytes:
        raise FormatError(
            "archive",
            name,
            f"inflates to {info.file_size} bytes; at most {limits.member_bytes} "
            "(the IMPORT_MAX_MEMBER_BYTES setting)",
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_FLOOR_BYTES and ratio > limits.ratio:
        raise FormatError(
            "archive",
            name,
            f"inflates {ratio:.0f} times its compressed size; at most {limits.ratio} "
            "(the IMPORT_MAX_RATIO setting)",
        )
    try:
        stream = archive.open(info)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
        raise FormatError("archive", name, f"cannot be read ({exc})") from exc
    return _Member(stream, name, min(info.file_size, limits.member_bytes))


def read_member(archive: zipfile.ZipFile, name: str, limits: ReadLimits) -> bytes:
    """A whole archive member, read in chunks under the checks of `open_member`."""
    member = open_member(archive, name, limits)
    data = bytearray()
    try:
        while chunk := member.read(CHUNK_BYTES):
            data += chunk
    finally:
        member.close()
    return bytes(data)


def read_document(archive: zipfile.ZipFile, name: str, limits: ReadLimits) -> bytes:
    """An archive member that is parsed whole (a CAS XMI, a brat file): refused past the document cap
    before any of it is inflated."""
    size = archive.getinfo(name).file_size
    if size > limits.document_bytes:
        raise FormatError(
            "archive",
            name,
            f"{size} bytes; at most {limits.document_bytes} for one document "
            "(the IMPORT_MAX_DOCUMENT_BYTES setting)",
        )
    return read_member(archive, name, limits)


def open_archive(file: BinaryIO, what: str) -> zipfile.ZipFile:
    """A zip archive, or a FormatError saying the file is not one."""
    try:
        return zipfile.ZipFile(file)
    except zipfile.BadZipFile as exc:
        raise FormatError("archive", "(zip)", f"not a zip file ({what} is one)") from exc
