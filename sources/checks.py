"""Start-up checks for a production deployment: refuse to serve pages that cannot load their styles."""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.checks import Error, register

STARTUP = "startup"
# What `collectstatic` leaves out by default, so the comparison matches what it collects.
COLLECTSTATIC_IGNORES = ["CVS", ".*", "*~"]


@register(STARTUP)
def static_files_collected(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """With DEBUG off, WhiteNoise serves the files `collectstatic` put in STATIC_ROOT under hashed
    names; without them every page fails to render (a missing manifest entry), so say so at start-up.
    Not tagged `staticfiles`, so `collectstatic` itself still runs."""
    if settings.DEBUG:
        return []
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    hint = "Run `python manage.py collectstatic --noinput` (`make serve` does) before starting the server."
    if not manifest.is_file():
        return [
            Error(
                f"Static files are not collected: {manifest} is missing, so no page can load its styles.",
                hint=hint,
                id="sources.E001",
            )
        ]
    collected = set(json.loads(manifest.read_text(encoding="utf-8")).get("paths", {}))
    missing = sorted(
        path
        for finder in finders.get_finders()
        for path, _ in finder.list(COLLECTSTATIC_IGNORES)
        if path not in collected
    )
    if missing:
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        return [
            Error(
                f"Collected static files are out of date: {shown} not in {settings.STATIC_ROOT}.",
                hint=hint,
                id="sources.E002",
            )
        ]
    return []


def refuse_to_start_misconfigured() -> None:
    """For app servers (gunicorn, uvicorn), which do not run the system checks `manage.py` runs."""
    from django.core.checks import run_checks
    from django.core.exceptions import ImproperlyConfigured

    errors = [error for error in run_checks(tags=[STARTUP]) if error.is_serious()]
    if errors:
        raise ImproperlyConfigured("\n".join(f"{error.msg} {error.hint}" for error in errors))
