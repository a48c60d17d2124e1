"""Every list is paginated with a stable order; `page_size` up to 500.

A `page_size` that is not a whole number from 1 up (`null`, `abc`, `-1`) is a 400 naming it: DRF
would silently fall back to the default, and a client would page through a list believing it had
asked for something else. Above the maximum it is capped, as DRF does."""

from rest_framework import exceptions
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.request import Request


class StrictPageSize:
    page_size: int
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int:
        given = request.query_params.get(self.page_size_query_param)
        if given is None:
            return self.page_size
        if not given.isascii() or not given.isdigit() or int(given) < 1:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        f"Give a whole number from 1 to {self.max_page_size}, not '{given}'."
                    ]
                }
            )
        return min(int(given), self.max_page_size)


class PagePagination(StrictPageSize, PageNumberPagination):
    """Numbered pages with a `count`, for the lists that stay small (projects, themes, claims...)."""

    page_size = 50


class KeysetPagination(StrictPageSize, CursorPagination):
    """Keyset pages for passages and annotations: the cursor carries the last id seen, so a deep page
    costs what the first does. No `count`, by design."""

    page_size = 50
    ordering = "id"
