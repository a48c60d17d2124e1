"""BibTeX: one `@misc` entry per source, UTF-8 (biber/biblatex read it as is; for classic BibTeX,
convert the file). Keys are the first author's surname, the year and the first word of the title,
made unique with a/b/c in the export's stable order. The free-text citation goes to `note`, and the
text's SHA-256 to `sha256`, so an entry can be matched back to the source it came from."""

import re
import unicodedata
from collections.abc import Iterable, Iterator

from .records import SourceRecord

SPECIAL = re.compile(r"([\\{}&%$#_~^])")
REPLACEMENTS = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def escape(value: str) -> str:
    return SPECIAL.sub(lambda m: REPLACEMENTS.get(m.group(1), "\\" + m.group(1)), value)


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[A-Za-z0-9]+", folded)
    return words[0].lower() if words else ""


def _key(source: SourceRecord) -> str:
    surname = _ascii_word(source.authors[0].split(",")[0].split()[0]) if source.authors else ""
    title = next((w for w in (_ascii_word(t) for t in source.title.split()) if len(w) > 3), "")
    return f"{surname or 'anon'}{source.year or ''}{title}" or "source"


def export_bibtex(sources: Iterable[SourceRecord]) -> Iterator[bytes]:
    used: dict[str, int] = {}
    for source in sources:
        key = _key(source)
        count = used.get(key, 0)
        used[key] = count + 1
        if count:
            key += chr(ord("a") + count - 1) if count <= 26 else str(count)
        fields = [("title", source.title)]
        if source.authors:
            fields.append(("author", " and ".join(source.authors)))
        if source.year:
            fields.append(("year", str(source.year)))
        if source.language:
            fields.append(("langid", source.language))
        if source.citation:
            fields.append(("note", source.citation))
        fields.append(("sha256", source.sha256))
        body = ",\n".join(f"  {name} = {{{escape(value)}}}" for name, value in fields)
        yield f"@misc{{{key},\n{body}\n}}\n\n".encode()
