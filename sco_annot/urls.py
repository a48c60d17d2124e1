from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("sources.api.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("sources.views.urls")),
]
