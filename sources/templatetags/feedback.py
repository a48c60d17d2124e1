"""Display helpers of the feedback, grades and history pages."""

from decimal import Decimal

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def difference_text(segments: list, key_author_id: int | None, yours: str) -> SafeString:
    """A passage's text with the spans behind its differences as nested <mark>s: the answer key's
    marked "key", the participant's marked `yours` ("you", or their name for an instructor).

    Built here, like the reader's highlights, so that no whitespace slips into the text."""
    out = []
    for segment in segments:
        opening = []
        for layer in segment.layers:
            tag = layer.annotation
            is_key = tag.author_id == key_author_id
            classes = f"hl theme-{tag.theme_id} lane-{layer.lane} {'key' if is_key else 'yours'}"
            if layer.last:
                label = "key" if is_key else yours
                opening.append(
                    format_html(
                        '<mark class="{} span-end" data-label="{}" title="{} · {}">',
                        classes,
                        label,
                        tag.theme.name,
                        "the answer key" if is_key else yours,
                    )
                )
            else:
                opening.append(format_html('<mark class="{}">', classes))
        out.append("".join(opening) + conditional_escape(segment.text) + "</mark>" * len(segment.layers))
    return mark_safe("".join(out))  # every piece above is escaped by format_html or conditional_escape


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


@register.filter
def kappa(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


@register.filter
def bar_width(value: float | None) -> str:
    """An SVG bar's width out of 100 for a share between 0 and 1."""
    return "0" if value is None else f"{max(0.0, min(1.0, value)) * 100:.1f}"


# Landis and Koch's reading of kappa, the scale most course material uses.
KAPPA_WORDS = [
    (0.8, "almost perfect"),
    (0.6, "substantial"),
    (0.4, "moderate"),
    (0.2, "fair"),
    (0.0, "slight"),
]


@register.filter
def kappa_word(value: float | None) -> str:
    if value is None:
        return "not defined"
    return next((word for floor, word in KAPPA_WORDS if value > floor), "poor" if value < 0 else "slight")


@register.filter
def points(value: Decimal | None) -> str:
    """Points as a teacher writes them: 4, 2.5, 2.25 (not 4.00, 2.50)."""
    if value is None:
        return "—"
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
