"""The codebook editor's and the source pages' URLs, under /p/<slug>/ (included from urls.py)."""

from django.urls import path

from . import codebook, source_uploads

urlpatterns = [
    path("codebook/", codebook.codebook, name="codebook"),
    path("codebook/merge/", codebook.codebook_merge, name="codebook-merge"),
    path("codebook/export/", codebook.codebook_download, name="codebook-export"),
    path("codebook/import/", codebook.codebook_upload, name="codebook-import"),
    path("codebook/<int:theme_id>/", codebook.theme_edit, name="theme-edit"),
    path("codebook/<int:theme_id>/rules/", codebook.theme_rules, name="theme-rules"),
    path("codebook/<int:theme_id>/move/", codebook.theme_reorder, name="theme-move"),
    path("codebook/<int:theme_id>/delete/", codebook.theme_remove, name="theme-delete"),
    path("codebook/<int:theme_id>/anchors/", codebook.theme_anchor_new, name="theme-anchor-new"),
    path(
        "codebook/<int:theme_id>/anchors/<int:anchor_id>/delete/",
        codebook.theme_anchor_remove,
        name="theme-anchor-delete",
    ),
    path("sources/new/", source_uploads.source_new, name="source-new"),
    path("sources/new/confirm/", source_uploads.source_confirm, name="source-confirm"),
    path("sources/uploads/<int:upload_id>/", source_uploads.upload_status, name="source-upload"),
    path("sources/<int:source_id>/edit/", source_uploads.source_edit, name="source-edit"),
    path("sources/<int:source_id>/delete/", source_uploads.source_remove, name="source-delete"),
    path("sources/removed/<int:removed_id>/restore/", source_uploads.source_unremove, name="source-restore"),
]
