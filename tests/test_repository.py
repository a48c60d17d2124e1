"""The repository refers only to files it holds: links in the README and docs resolve, and nothing
points at planning notes kept outside it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE_NOTES = ["DESIGN" + ".md", "STYLE" + ".md", "../" + "shared/"]


# Not part of the repository: the virtualenv, caches and what the app and benchmarks write.
LEFT_OUT = {"__pycache__", "node_modules", "media", "staticfiles", "test-results", "data"}


def tracked(*patterns: str) -> list[Path]:
    return [
        path
        for pattern in patterns
        for path in ROOT.rglob(pattern)
        if path.is_file()
        and not any(part.startswith(".") or part in LEFT_OUT for part in path.relative_to(ROOT).parts[:-1])
    ]


def test_markdown_links_point_at_files_in_the_repository():
    broken = []
    for page in tracked("*.md"):
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" not in target and not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert broken == []


def test_no_file_refers_to_notes_outside_the_repository():
    mentions = [
        f"{path.relative_to(ROOT)}: {note}"
        for path in tracked("*.py", "*.md", "*.html", "*.js", "*.css", "Makefile", "*.toml")
        for note in OUTSIDE_NOTES
        if note in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert mentions == []
