from django.contrib import admin
from django.urls import include, path

from sources.views import operations

urlpatterns = [
    path("healthz", operations.healthz, name="healthz"),
    path("readyz", operations.readyz, name="readyz"),
    path("metrics", operations.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("api/", include("sources.api.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("sources.views.urls")),
]

# API URLs answer errors as JSON, pages in the site's layout (sources/views/errors.py).
handler400 = "sources.views.errors.bad_request"
handler403 = "sources.views.errors.permission_denied"
handler404 = "sources.views.errors.page_not_found"
handler500 = "sources.views.errors.server_error"
