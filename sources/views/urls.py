from django.urls import include, path

from . import claims, projects, reader, search, themes

urlpatterns = [
    path("", projects.project_list, name="home"),
    path("p/<slug:slug>/", projects.dashboard, name="dashboard"),
    path("p/<slug:slug>/themes.css", themes.theme_stylesheet, name="theme-stylesheet"),
    path("p/<slug:slug>/sources/<int:source_id>/", reader.reader, name="reader"),
    path(
        "p/<slug:slug>/passages/<int:passage_id>/annotations/", reader.annotation_new, name="annotation-new"
    ),
    path("p/<slug:slug>/annotations/<int:annotation_id>/", reader.annotation_edit, name="annotation-edit"),
    path(
        "p/<slug:slug>/annotations/<int:annotation_id>/delete/",
        reader.annotation_remove,
        name="annotation-delete",
    ),
    path("p/<slug:slug>/passages/<int:passage_id>/link/", claims.link, name="evidence-link"),
    path("p/<slug:slug>/claims/", claims.board, name="claims"),
    path("p/<slug:slug>/evidence/<int:evidence_id>/delete/", claims.evidence_remove, name="evidence-delete"),
    path("p/<slug:slug>/search/", search.search, name="search"),
    path("p/<slug:slug>/export/", include("sources.views.export_urls")),
]
