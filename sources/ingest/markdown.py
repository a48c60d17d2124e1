"""Markdown to blocks: its markup already says what each block is."""

import re

from .document import Block
from .lines import join_lines

_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)\s*$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:\s*\1){2,}\s*$")
_QUOTE = re.compile(r"^ {0,3}>\s?(.*)$")
_BULLET = re.compile(r"^ {0,3}[-*+]\s+(.*)$")
# Numbers are kept: "1." is part of the item's text, as in a plain-text list.
_NUMBERED = re.compile(r"^ {0,3}(\d{1,9}[.)]\s+.*)$")


def markdown_blocks(text: str) -> list[Block]:
    groups: list[tuple[str, list[str]]] = []
    open_group = False  # whether the next line may continue the last group
    for line in text.split("\n"):
        if not line.strip():
            open_group = False
        elif match := _ATX_HEADING.match(line):
            groups.append(("heading", [match[1]]))
            open_group = False
        elif _SETEXT_UNDERLINE.match(line) and open_group and groups[-1][0] == "paragraph":
            # "Title" over "=====" or "-----"
            groups[-1] = ("heading", groups[-1][1])
            open_group = False
        elif _THEMATIC_BREAK.match(line):
            open_group = False
        elif match := _QUOTE.match(line):
            if not (open_group and groups[-1][0] == "quote"):
                groups.append(("quote", []))
            groups[-1][1].append(match[1])
            open_group = bool(match[1].strip())
        elif match := _BULLET.match(line) or _NUMBERED.match(line):
            groups.append(("list_item", [match[1]]))
            open_group = True
        elif open_group:
            # A continuation line, also of a list item or a quote (a "lazy" one, without its marker).
            groups[-1][1].append(line.strip())
        else:
            groups.append(("paragraph", [line.strip()]))
            open_group = True
    blocks = [Block(kind, join_lines(lines)) for kind, lines in groups]
    return [block for block in blocks if block.text]
