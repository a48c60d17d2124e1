"""The REST API under /api/ (docs/api.md): a router for the resources, paths for the rest.

Adding an endpoint is one line here plus a row in tests/api/test_permission_matrix.py, which fails
for any API URL that has no row."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import (
    agreement,
    analysis,
    annotations,
    auth,
    claims,
    codebook,
    comments,
    discussions,
    events,
    exports,
    history,
    index,
    invitations,
    passages,
    presence,
    projects,
    reviews,
    sessions,
    sources,
    suggestions,
)

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("projects", projects.ProjectViewSet, basename="project")
router.register("projects/<slug:project_slug>/members", projects.MemberViewSet, basename="member")
router.register("sources", sources.SourceViewSet, basename="source")
router.register("passages", passages.PassageViewSet, basename="passage")
router.register("themes", codebook.ThemeViewSet, basename="theme")
router.register("annotations", annotations.AnnotationViewSet, basename="annotation")
router.register("claims", claims.ClaimViewSet, basename="claim")
router.register("evidence", claims.EvidenceViewSet, basename="evidence")
router.register("reviews", reviews.ReviewViewSet, basename="review")
router.register("sessions", sessions.SessionViewSet, basename="session")
router.register("discussions", discussions.DiscussionViewSet, basename="discussion")
router.register("suggestions", suggestions.SuggestionViewSet, basename="suggestion")
router.register("comments", comments.CommentViewSet, basename="comment")
router.register("notifications", comments.NotificationViewSet, basename="notification")

urlpatterns = [
    path("", index.ApiIndexView.as_view(), name="index"),
    path("auth/token/", auth.TokenView.as_view(), name="token"),
    path("auth/logout/", auth.LogoutView.as_view(), name="logout"),
    path("auth/logoutall/", auth.LogoutAllView.as_view(), name="logoutall"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, which the CSP (no inline scripts)
    # allows; its assets come from drf-spectacular-sidecar under /static/, no CDN.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("projects/<slug:slug>/export/", exports.ExportView.as_view(), name="project-export"),
    path("projects/<slug:slug>/import/", exports.ImportView.as_view(), name="project-import"),
    path("projects/<slug:slug>/agreement/", agreement.AgreementView.as_view(), name="project-agreement"),
    path("projects/<slug:slug>/codebook/", codebook.CodebookView.as_view(), name="project-codebook"),
    path(
        "projects/<slug:slug>/recommenders/",
        suggestions.RecommendersView.as_view(),
        name="project-recommenders",
    ),
    path("sources/jobs/<int:pk>/", sources.SourceJobView.as_view(), name="source-job"),
    path(
        "projects/<slug:slug>/invitations/",
        invitations.InvitationListView.as_view(),
        name="project-invitations",
    ),
    path(
        "projects/<slug:slug>/invitations/roster/",
        invitations.RosterView.as_view(),
        name="project-roster",
    ),
    path(
        "projects/<slug:slug>/invitations/<int:pk>/",
        invitations.InvitationDetailView.as_view(),
        name="project-invitation",
    ),
    path("project-deletions/<int:pk>/", projects.DeletionView.as_view(), name="project-deletion"),
    path("history/", history.HistoryListView.as_view(), name="history"),
    *(
        path(f"projects/<slug:slug>/analysis/{name}/", view.as_view(), name=f"project-analysis-{name}")
        for name, view in analysis.VIEWS.items()
    ),
    path("history/<str:entry_id>/restore/", history.HistoryRestoreView.as_view(), name="history-restore"),
    path("projects/<slug:slug>/events/", events.EventStreamView.as_view(), name="project-events"),
    path(
        "projects/<slug:slug>/presence/<int:source>/",
        presence.PresenceView.as_view(),
        name="project-presence",
    ),
    *router.urls,
]
