"""Who a history entry names, for django-simple-history."""

from typing import Any


def acting_user(request: Any = None, instance: Any = None, **kwargs: Any) -> Any:
    """The signed-in user of the request; outside a request (commands, imports, the demo seed),
    the author of the work, so that every entry names someone when there is someone to name."""
    if request is not None:
        return request.user
    return getattr(instance, "author", None)
