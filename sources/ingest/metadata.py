"""What a file says about itself: a PDF's document information (title, author, creation year), so the
upload form starts filled in. Never fails: a file without metadata gives an empty answer."""

import io
import re

from pypdf import PdfReader

YEAR = re.compile(r"(1[5-9]\d\d|2\d\d\d)")


def pdf_metadata(data: bytes) -> dict:
    try:
        info = PdfReader(io.BytesIO(data)).metadata or {}
    except Exception:  # pypdf raises many types for a damaged file; the ingester reports it properly
        return {}
    found: dict = {}
    title = str(info.get("/Title") or "").strip()
    if title:
        found["title"] = title[:500]
    author = str(info.get("/Author") or "").strip()
    if author:
        found["authors"] = [
            name.strip() for name in re.split(r";|\band\b|,(?=\s*\w+\s+\w)", author) if name.strip()
        ]
    match = YEAR.search(str(info.get("/CreationDate") or ""))
    if match:
        found["year"] = int(match.group(1))
    return found
