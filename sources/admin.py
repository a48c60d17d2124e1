from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Annotation, Claim, Evidence, Membership, Passage, Project, Review, Session, Source, Theme


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "created"]
    search_fields = ["slug", "name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["project", "user", "role", "created"]
    list_filter = ["role", "project"]
    search_fields = ["user__username", "project__slug"]
    autocomplete_fields = ["user", "project"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "year", "language", "created"]
    list_filter = ["project", "language"]
    search_fields = ["title", "citation"]
    readonly_fields = ["sha256", "text", "created"]


@admin.register(Passage)
class PassageAdmin(admin.ModelAdmin):
    list_display = ["source", "ordinal", "kind", "language", "section"]
    list_filter = ["kind", "language", "source__project"]
    search_fields = ["text"]
    list_select_related = ["source"]
    # Offsets are tied to the source text; editing them by hand would break the offset invariant.
    readonly_fields = ["source", "ordinal", "text", "start", "end"]


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "name", "project", "parent", "shortcut", "color", "order"]
    list_filter = ["project"]
    search_fields = ["slug", "name"]
    list_select_related = ["project", "parent"]


@admin.register(Annotation)
class AnnotationAdmin(SimpleHistoryAdmin):
    list_display = ["id", "theme", "author", "status", "passage", "start", "end", "updated"]
    list_filter = ["status", "theme__project", "theme"]
    search_fields = ["quote", "note", "author__username"]
    list_select_related = ["theme", "author", "passage__source"]
    raw_id_fields = ["passage", "session"]


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ["id", "text", "project", "author", "updated"]
    list_filter = ["project"]
    search_fields = ["text"]
    list_select_related = ["project", "author"]


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["id", "claim", "relation", "passage", "author", "status"]
    list_filter = ["relation", "status"]
    list_select_related = ["claim", "passage__source", "author"]
    raw_id_fields = ["passage", "annotation", "claim"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["id", "decision", "reviewer", "annotation", "evidence", "created"]
    list_filter = ["decision"]
    raw_id_fields = ["annotation", "evidence"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "opens_at", "closes_at", "blind"]
    list_filter = ["project", "blind"]
    filter_horizontal = ["sources", "participants"]
