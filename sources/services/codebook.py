"""The codebook: themes, their hierarchy, order, colours, shortcut keys and coding rules."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from ..models import Project, Theme
from .errors import ConflictError
from .versioning import locked_for_update

THEME_FIELDS = frozenset(
    {"slug", "name", "description", "include", "exclude", "color", "parent", "shortcut", "order"}
)

# Keys the reader keeps for itself besides theme shortcuts: j/k move between passages, c links to a
# claim, i shows the current theme's coding rules, v starts a keyboard selection, ? lists the keys,
# u undoes. A theme cannot take one of them as its shortcut.
RESERVED_READER_KEYS = frozenset({"j", "k", "c", "i", "v", "?", "u", "n"})

# The colour pages are drawn on (--bg in static/css/app.css); a theme colour marks chips, swatches
# and highlight borders there, so it must stand out from it as a UI colour does (WCAG 1.4.11).
PAGE_BACKGROUND = "#f6f5f1"
MIN_CONTRAST = 3.0
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours, from 1 (same) to 21 (black on white)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def check_colour(colour: str) -> None:
    if not HEX_COLOUR.match(colour or ""):
        raise ValidationError({"color": "Enter a colour as #rrggbb."})
    ratio = contrast_ratio(colour, PAGE_BACKGROUND)
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            {
                "color": f"The colour {colour} has a contrast of {ratio:.1f}:1 against the page background "
                f"({PAGE_BACKGROUND}); choose one of at least {MIN_CONTRAST:.0f}:1, usually a darker one."
            }
        )


def check_shortcut(shortcut: str) -> None:
    if shortcut in RESERVED_READER_KEYS:
        keys = ", ".join(sorted(RESERVED_READER_KEYS))
        raise ValidationError(
            {"shortcut": f"'{shortcut}' is one of the reader's own keys ({keys}); choose another key."}
        )
    if shortcut and (not shortcut.isprintable() or shortcut.isspace()):
        raise ValidationError({"shortcut": "A shortcut is one printable key, not a space."})


def _check_parent(theme: Theme) -> None:
    parent = theme.parent
    if parent is None:
        return
    if parent.project_id != theme.project_id:
        raise ValidationError({"parent": "The parent theme belongs to another project."})
    seen = {theme.pk}
    while parent is not None:
        if parent.pk in seen:
            raise ValidationError({"parent": "A theme cannot be its own ancestor."})
        seen.add(parent.pk)
        parent = parent.parent


def _check_shortcut_free(theme: Theme) -> None:
    if not theme.shortcut:
        return
    clash = (
        Theme.objects.filter(project=theme.project_id, shortcut=theme.shortcut)
        .exclude(pk=theme.pk)
        .values_list("name", flat=True)
        .first()
    )
    if clash is not None:
        raise ValidationError({"shortcut": f"'{theme.shortcut}' is already the shortcut of '{clash}'."})


def _save_theme(theme: Theme, changed: set[str]) -> Theme:
    _check_parent(theme)
    if "color" in changed:
        check_colour(theme.color)
    if "shortcut" in changed:
        check_shortcut(theme.shortcut)
        _check_shortcut_free(theme)
    clash = Theme.objects.filter(project=theme.project_id, slug=theme.slug).exclude(pk=theme.pk).first()
    if clash is not None:
        raise ConflictError(f"The project already has a theme '{theme.slug}' (id {clash.pk}).", clash.pk)
    theme.full_clean()
    theme.save()
    return theme


def free_slug(project: Project, name: str) -> str:
    """A slug for a new theme named `name`, made unique in the project with a number if needed."""
    base = slugify(name)[:60] or "theme"
    taken = set(Theme.objects.filter(project=project, slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def theme_create(*, project: Project, **fields: Any) -> Theme:
    unknown = set(fields) - THEME_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Unknown field."))
    if not fields.get("slug"):
        fields["slug"] = free_slug(project, fields.get("name", ""))
    if "order" not in fields:
        siblings = Theme.objects.filter(project=project, parent=fields.get("parent"))
        fields["order"] = max(siblings.values_list("order", flat=True), default=-1) + 1
    return _save_theme(Theme(project=project, **fields), set(fields))


@transaction.atomic
def theme_update(*, theme: Theme, expected_version: int | None = None, **fields: Any) -> Theme:
    theme = locked_for_update(theme, expected_version)
    changed = set()
    for name, value in fields.items():
        if name not in THEME_FIELDS:
            raise ValidationError({name: "Unknown field."})
        if getattr(theme, name) != value:
            changed.add(name)
        setattr(theme, name, value)
    theme.version += 1
    return _save_theme(theme, changed)


@transaction.atomic
def theme_move(*, theme: Theme, step: int) -> Theme:
    """Move a theme up (step -1) or down (+1) among its siblings; their orders become 0..n-1."""
    siblings = list(
        Theme.objects.select_for_update()
        .filter(project=theme.project_id, parent=theme.parent_id)
        .order_by("order", "slug", "id")
    )
    at = next(i for i, sibling in enumerate(siblings) if sibling.pk == theme.pk)
    to = min(max(at + step, 0), len(siblings) - 1)
    siblings.insert(to, siblings.pop(at))
    for order, sibling in enumerate(siblings):
        if sibling.order != order:
            sibling.order = order
            sibling.version += 1
            sibling.save(update_fields=["order", "version"])
    return siblings[to]


@transaction.atomic
def theme_delete(*, theme: Theme, expected_version: int | None = None, with_tags: bool = False) -> int:
    """Delete a theme; with `with_tags`, its tags go with it (each kept in history, restorable).
    Returns how many tags were deleted."""
    theme = locked_for_update(theme, expected_version)
    if theme.children.exists():
        raise ConflictError(f"Theme '{theme.slug}' has sub-themes; move or delete them first.")
    used = theme.annotations.count()
    if used and not with_tags:
        raise ConflictError(
            f"Theme '{theme.slug}' is used by {used} tag(s); delete them with it, or merge the theme "
            "into another one."
        )
    discussions = theme.discussions.count()
    if discussions:
        raise ConflictError(
            f"Theme '{theme.slug}' is discussed in {discussions} discussion thread(s); merge it into "
            "another theme instead."
        )
    # A queryset delete still sends each tag's delete signal, so every tag gets its history entry.
    theme.annotations.all().delete()
    theme.delete()
    return used
