"""The export page's URLs, under /p/<slug>/export/ (included from urls.py)."""

from django.urls import path

from . import annotation_imports, exports

urlpatterns = [
    path("", exports.export_page, name="export"),
    path("download/", exports.export_download, name="export-download"),
    path("jobs/", exports.export_job_new, name="export-job-new"),
    path("jobs/<int:job_id>/", exports.export_job_status, name="export-job"),
    path("jobs/<int:job_id>/file/", exports.export_job_file, name="export-job-file"),
    path("releases/", exports.release_new, name="release-new"),
    path("releases/<int:number>/", exports.release_file, name="release-file"),
    path("import/", annotation_imports.annotations_upload, name="annotations-import"),
]
