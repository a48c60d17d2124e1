"""The project's theme colours as a stylesheet, so pages colour tags by class under a strict CSP
(no inline styles): `.theme-<id>` sets `--theme` (the colour) and `--theme-tint` (a light wash)."""

import hashlib
import re

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from ..models import Theme
from ..selectors.projects import project_for_user
from ..selectors.reader import themes_of

COLOR = re.compile(r"^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$")
FALLBACK = "#5b6372"


def theme_version(themes: list[Theme]) -> str:
    """Changes whenever a theme's colour does, so the stylesheet URL can be cached."""
    key = ";".join(f"{t.pk}:{t.color}" for t in themes)
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def theme_rule(theme_id: int, color: str) -> str:
    # The model validates colours; a value that got past it is replaced, never pasted into CSS.
    match = COLOR.match(color) or COLOR.match(FALLBACK)
    red, green, blue = (int(part, 16) for part in match.groups())
    rgb = f"{red}, {green}, {blue}"
    return (
        f".theme-{theme_id} {{ --theme: #{match.group(1)}{match.group(2)}{match.group(3)}; "
        f"--theme-tint: rgba({rgb}, 0.16); --theme-wash: rgba({rgb}, 0.07); }}\n"
    )


@login_required
@require_GET
def theme_stylesheet(request: HttpRequest, slug: str) -> HttpResponse:
    project, _ = project_for_user(request.user, slug)
    css = "".join(theme_rule(theme.pk, theme.color) for theme in themes_of(project))
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    # Pages link it with ?v=<hash of the colours>, so a changed codebook gets a new URL.
    response["Cache-Control"] = "private, max-age=86400"
    return response
