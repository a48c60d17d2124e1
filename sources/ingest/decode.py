"""Bytes to normalized text, refusing what is not text."""

import re
import unicodedata

from .errors import IngestError

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Line ends of every convention, page breaks (form feed) and the Unicode separators all become "\n".
_LINE_BREAK = re.compile(r"\r\n|[\r\f\v\x85\u2028\u2029]")
# Control characters left over from extraction carry no text and would break offsets in a browser.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode_text(data: bytes) -> str:
    """Decode a text file (UTF-8, or UTF-16 when it starts with its BOM) and normalize it."""
    if not data:
        raise IngestError("file is empty")
    if data.startswith(_UTF16_BOMS):
        # UTF-16 is full of NUL bytes, so it has to be recognized before the binary check.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise IngestError(
                f"file is not valid UTF-16 text (invalid byte at offset {error.start})"
            ) from error
    else:
        nul = data.find(b"\x00")
        if nul != -1:
            raise IngestError(f"binary file, not text (NUL byte at offset {nul})")
        body = data.removeprefix(_UTF8_BOM)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            offset = error.start + len(data) - len(body)
            raise IngestError(f"file is not UTF-8 text (invalid byte at offset {offset})") from error
    text = normalize_text(text)
    if not text.strip():
        raise IngestError("file is empty (only whitespace)")
    return text


def normalize_text(text: str) -> str:
    """One newline convention, NFC, no control characters; spaces are left for the layout analysis."""
    text = _LINE_BREAK.sub("\n", text)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)
