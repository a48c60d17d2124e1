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
