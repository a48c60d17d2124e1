"""The repository refers only to files it holds: links in the README and docs resolve, and nothing
points at planning notes kept outside it."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE_NOTES = ["DESIGN" + ".md", "STYLE" + ".md", "../" + "shared/"]


def tracked(*patterns: str) -> list[Path]:
    names = subprocess.run(
        ["git", "ls-files", *patterns], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [ROOT / name for name in names if (ROOT / name).is_file()]


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
