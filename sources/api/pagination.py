"""Every list is paginated with a stable order; `page_size` up to 500."""

from rest_framework.pagination import CursorPagination, PageNumberPagination


class PagePagination(PageNumberPagination):
    """Numbered pages with a `count`, for the lists that stay small (projects, themes, claims...)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class KeysetPagination(CursorPagination):
    """Keyset pages for passages and annotations: the cursor carries the last id seen, so a deep page
    costs what the first does. No `count`, by design."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "id"
