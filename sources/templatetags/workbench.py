"""Small display filters for the pages."""

from typing import Any

from django import template
from django.contrib.auth.models import AbstractBaseUser
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from ..models import Suggestion

register = template.Library()


@register.filter
def author_label(user: AbstractBaseUser | None) -> str:
    """Initials when the user has a name ("Aigerim Annotator" -> "AA"), else the username.

    The same user gets the same label on every page and fragment, whatever else is shown."""
    if user is None:
        return "?"
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if first and last:
        return (first[0] + last[0]).upper()
    return user.get_username()


@register.filter
def display_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return "someone"
    full = user.get_full_name().strip()
    return f"{full} ({user.get_username()})" if full else user.get_username()


@register.simple_tag(takes_context=True)
def passage_text(context: template.Context, segments: list) -> SafeString:
    """The passage text with its span highlights as nested <mark>s, one per covering span.

    Built here rather than in the template so that not one character of whitespace is added: the
    page's text must equal `passage.text` for the offsets reader.js counts to be right."""
    user = context.get("user")
    user_id = getattr(user, "pk", None)
    out = []
    for segment in segments:
        opening = []
        for layer in segment.layers:
            annotation = layer.annotation
            if isinstance(annotation, Suggestion):
                opening.append(suggestion_mark(annotation, layer))
                continue
            classes = f"hl theme-{annotation.theme_id} lane-{layer.lane}"
            if annotation.author_id == user_id:
                classes += " mine"
            if layer.last:
                classes += " span-end"
            if layer.last:
                # The span's last piece names it on hover and carries the author label shown after it.
                opening.append(
                    format_html(
                        '<mark class="{}" data-annotation="{}" data-label="{}" title="{} · {}">',
                        classes,
                        annotation.pk,
                        author_label(annotation.author),
                        annotation.theme.name,
                        display_name(annotation.author),
                    )
                )
            else:
                opening.append(format_html('<mark class="{}" data-annotation="{}">', classes, annotation.pk))
        out.append("".join(opening) + conditional_escape(segment.text) + "</mark>" * len(segment.layers))
    return mark_safe("".join(out))  # every piece above is escaped by format_html or conditional_escape


def suggestion_mark(suggestion: Suggestion, layer: Any) -> SafeString:
    """A suggestion's span: dotted, named with its theme and score on hover."""
    return format_html(
        '<mark class="hl-suggested theme-{} lane-{}{}" data-suggestion="{}" title="Suggested: {} · {}">',
        suggestion.theme_id,
        layer.lane,
        " span-end" if layer.last else "",
        suggestion.pk,
        suggestion.theme.name,
        f"{suggestion.score:.2f}",
    )
