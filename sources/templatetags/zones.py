"""`{% moment value %}`: a time in the zone the page is in (the project's), with the viewer's own
zone beside it when it differs, so a class in Almaty and a visitor in Berlin read the same session."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()

FORMAT = "%Y-%m-%d %H:%M"


@register.simple_tag(takes_context=True)
def moment(context: template.Context, value: datetime | None) -> str:
    if value is None:
        return ""
    zone = timezone.get_current_timezone()
    here = timezone.localtime(value, zone)
    shown = format_html(
        '<time datetime="{}">{} {}</time>', value.isoformat(), here.strftime(FORMAT), here.tzname()
    )
    request = context.get("request")
    viewer = getattr(request, "viewer_zone", None)
    if viewer is None or here.utcoffset() == timezone.localtime(value, viewer).utcoffset():
        return shown
    theirs = timezone.localtime(value, viewer)
    return format_html(
        '{} <span class="local-time">({} {} your time)</span>',
        shown,
        theirs.strftime(FORMAT),
        theirs.tzname(),
    )
