"""Time zones of a request: the viewer's own (a cookie the browser sets from its clock's zone), and
resetting the zone a project page activated, so the next request on this thread starts in UTC."""

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

VIEWER_ZONE_COOKIE = "tz"


def viewer_zone(request: HttpRequest) -> zoneinfo.ZoneInfo | None:
    name = request.COOKIES.get(VIEWER_ZONE_COOKIE, "")
    if not name or name not in zoneinfo.available_timezones():
        return None
    return zoneinfo.ZoneInfo(name)


class TimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.viewer_zone = viewer_zone(request)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
