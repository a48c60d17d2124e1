"""The suggestions page's URLs and the reader's accept and reject, under /p/<slug>/suggestions/."""

from django.urls import path

from . import suggestions

urlpatterns = [
    path("", suggestions.suggestions_page, name="suggestions"),
    path("threshold/", suggestions.suggestions_threshold, name="suggestions-threshold"),
    path("train/", suggestions.suggestions_train, name="suggestions-train"),
    path("bulk/", suggestions.suggestions_bulk, name="suggestions-bulk"),
    path("bulk/<int:bulk_id>/undo/", suggestions.suggestions_bulk_undo, name="suggestions-bulk-undo"),
    path("<int:suggestion_id>/accept/", suggestions.suggestion_accept_view, name="suggestion-accept"),
    path("<int:suggestion_id>/reject/", suggestions.suggestion_reject_view, name="suggestion-reject"),
]
