from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("sources.api.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("sources.views.urls")),
]

# API URLs answer errors as JSON, pages in the site's layout (sources/views/errors.py).
handler400 = "sources.views.errors.bad_request"
handler403 = "sources.views.errors.permission_denied"
handler404 = "sources.views.errors.page_not_found"
handler500 = "sources.views.errors.server_error"
