from django.urls import include, path

from . import (
    agreement,
    claims,
    compare,
    members,
    project_settings,
    projects,
    reader,
    review,
    search,
    sessions,
    themes,
    undo,
)

urlpatterns = [
    path("", projects.project_list, name="home"),
    path("p/new/", project_settings.project_new, name="project-new"),
    path("p/<slug:slug>/", projects.dashboard, name="dashboard"),
    path("p/<slug:slug>/settings/", project_settings.project_settings, name="project-settings"),
    path("p/<slug:slug>/settings/archive/", project_settings.project_archive, name="project-archive"),
    path("p/<slug:slug>/settings/delete/", project_settings.project_remove, name="project-delete"),
    path("deletions/<int:deletion_id>/", project_settings.deletion_page, name="project-deletion"),
    path("p/<slug:slug>/members/", members.members, name="members"),
    path("p/<slug:slug>/members/<int:user_id>/role/", members.member_role, name="member-role"),
    path("p/<slug:slug>/members/<int:user_id>/remove/", members.member_remove, name="member-remove"),
    path("p/<slug:slug>/invitations/link/", members.invitation_link_new, name="invitation-link-new"),
    path("p/<slug:slug>/invitations/email/", members.invitation_email_new, name="invitation-email-new"),
    path("p/<slug:slug>/invitations/roster/", members.roster_upload, name="invitation-roster"),
    path(
        "p/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        members.invitation_remove,
        name="invitation-revoke",
    ),
    path("join/<str:token>/", members.join, name="join"),
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
    path("p/<slug:slug>/undo/", undo.undo, name="undo"),
    path("p/<slug:slug>/claims/", claims.board, name="claims"),
    path("p/<slug:slug>/evidence/<int:evidence_id>/delete/", claims.evidence_remove, name="evidence-delete"),
    path("p/<slug:slug>/search/", search.search, name="search"),
    path("p/<slug:slug>/export/", include("sources.views.export_urls")),
    path("p/<slug:slug>/sessions/", sessions.session_list, name="sessions"),
    path("p/<slug:slug>/sessions/new/", sessions.session_new, name="session-new"),
    path("p/<slug:slug>/sessions/<int:session_id>/", sessions.session_page, name="session"),
    path("p/<slug:slug>/sessions/<int:session_id>/edit/", sessions.session_edit, name="session-edit"),
    path(
        "p/<slug:slug>/sessions/<int:session_id>/submit/", sessions.session_submit_work, name="session-submit"
    ),
    path("p/<slug:slug>/review/", review.review_page, name="review"),
    path("p/<slug:slug>/review/bulk/", review.review_bulk, name="review-bulk"),
    path("p/<slug:slug>/review/<str:kind>/<int:target_id>/", review.review_decide, name="review-decide"),
    path("p/<slug:slug>/compare/", compare.compare_page, name="compare"),
    path(
        "p/<slug:slug>/compare/annotations/<int:annotation_id>/decide/",
        compare.compare_decide,
        name="compare-decide",
    ),
    path(
        "p/<slug:slug>/compare/annotations/<int:annotation_id>/edit/",
        compare.compare_edit,
        name="compare-edit",
    ),
    path("p/<slug:slug>/agreement/", agreement.agreement, name="agreement"),
    path("p/<slug:slug>/", include("sources.views.feedback_urls")),
    path("p/<slug:slug>/", include("sources.views.codebook_urls")),
]
