"""What an import resolves against the project (themes, users, sessions), what it could not, and
the report it gives back."""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.text import slugify

from ...models import Membership, Project, Role, Session, Theme


class ImportRefused(Exception):
    """The import as a whole cannot go in (unknown themes or users); nothing was written."""


# How many examples of each kind of skipped thing a report names.
EXAMPLES = 3


@dataclass
class Skipped:
    count: int = 0
    examples: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    format: str
    annotations_created: int = 0
    duplicates_skipped: int = 0
    sources_created: int = 0
    claims_created: int = 0
    evidence_created: int = 0
    suggestions_created: int = 0  # predictions another tool's model made (Label Studio's)
    comments_created: int = 0  # comments on passages (JSONL, W3C)
    themes_created: list[str] = field(default_factory=list)
    members_added: list[str] = field(default_factory=list)
    # What the file holds that the project cannot, by kind ("Set", "Label Studio 'rating' result", ...).
    skipped: dict[str, Skipped] = field(default_factory=dict)

    def skip(self, kind: str, example: str) -> None:
        entry = self.skipped.setdefault(kind, Skipped())
        entry.count += 1
        if len(entry.examples) < EXAMPLES:
            entry.examples.append(example[:120])

    def summary(self) -> str:
        parts = [f"{self.annotations_created} annotation(s) imported"]
        if self.duplicates_skipped:
            parts.append(f"{self.duplicates_skipped} already present and skipped")
        if self.sources_created:
            parts.append(f"{self.sources_created} source(s) created")
        if self.claims_created or self.evidence_created:
            parts.append(
                f"{self.claims_created} claim(s) and {self.evidence_created} evidence link(s) created"
            )
        if self.suggestions_created:
            parts.append(f"{self.suggestions_created} prediction(s) imported as suggestions")
        if self.comments_created:
            parts.append(f"{self.comments_created} comment(s) imported")
        if self.themes_created:
            parts.append(f"themes created: {', '.join(self.themes_created)}")
        if self.members_added:
            parts.append(f"members added: {', '.join(self.members_added)}")
        for kind, entry in sorted(self.skipped.items()):
            examples = ", ".join(repr(example) for example in entry.examples)
            parts.append(f"skipped {entry.count} {kind}(s), e.g. {examples}")
        return "; ".join(parts) + "."


class ImportContext:
    """What an import resolves against the project: themes, users, sessions; and what it could not."""

    def __init__(
        self,
        project: Project,
        as_user: AbstractBaseUser | None,
        create_themes: bool,
        report: ImportReport,
        members_only: bool = False,
        add_members: bool = False,
    ):
        self.project = project
        # Users of this server named in the file join the project as annotators, when asked to.
        self.add_members = add_members
        # Through the API, work is credited only to the project's members: an instructor cannot
        # put words in the mouth of someone outside the team.
        self.members = (
            set(Membership.objects.filter(project=project).values_list("user_id", flat=True))
            if members_only
            else None
        )
        self.as_user = as_user
        self.create_themes = create_themes
        self.report = report
        self.themes = {t.slug: t for t in Theme.objects.filter(project=project)}
        self.themes_by_name = {t.name.casefold(): t for t in self.themes.values()}
        self.users: dict[str, AbstractBaseUser | None] = {}
        self.sessions: dict[str, Session] = {}
        self.unknown_themes: set[str] = set()
        self.unknown_users: set[str] = set()
        self.now = timezone.now()

    # themes --------------------------------------------------------------------------------------

    def new_theme(self, slug_source: str, name: str, parent: Theme | None, **fields) -> Theme:
        base = slugify(slug_source)[:60] or "theme-" + hashlib.sha1(name.encode()).hexdigest()[:8]
        slug, n = base, 2
        while slug in self.themes:
            slug, n = f"{base}-{n}", n + 1
        order = fields.pop(
            "order", len([t for t in self.themes.values() if t.parent_id == getattr(parent, "pk", None)])
        )
        theme = Theme(project=self.project, slug=slug, name=name[:200], parent=parent, order=order, **fields)
        theme.full_clean()
        theme.save()
        self.themes[slug] = theme
        self.themes_by_name.setdefault(theme.name.casefold(), theme)
        self.report.themes_created.append(slug)
        return theme

    def theme_by_path(self, slug: str, path: str) -> Theme | None:
        """Our own files name a theme by slug and path (parent/child); missing parents come along."""
        if slug in self.themes:
            return self.themes[slug]
        if not self.create_themes:
            self.unknown_themes.add(slug)
            return None
        parent = None
        for part in (path or slug).split("/")[:-1]:
            parent = self.themes.get(part) or self.new_theme(
                part, part.replace("-", " ").capitalize(), parent
            )
        return self.new_theme(slug, slug.replace("-", " ").capitalize(), parent)

    def theme_for_label(self, label: str) -> Theme | None:
        """Another tool's label: a slug, a theme name (any case) or a name whose slug we know."""
        theme = (
            self.themes.get(label)
            or self.themes_by_name.get(label.casefold())
            or self.themes.get(slugify(label))
        )
        if theme is not None:
            return theme
        if not self.create_themes:
            self.unknown_themes.add(label)
            return None
        return self.new_theme(label, label, None)

    # users and sessions ----------------------------------------------------------------------------

    def user(self, name: str | None) -> AbstractBaseUser | None:
        if name is None:
            if self.as_user is None:
                self.unknown_users.add("(not named in the file)")
            return self.as_user
        if name not in self.users:
            User = get_user_model()
            found = User.objects.filter(username=name).first()
            if found is None and "@" in name:
                found = User.objects.filter(email__iexact=name).order_by("pk").first()
            if found is not None and self.add_members:
                self._make_member(found)
            elif found is not None and self.members is not None and found.pk not in self.members:
                found = None
            self.users[name] = found
        user = self.users[name] or self.as_user
        if user is None:
            self.unknown_users.add(name)
        return user

    def _make_member(self, user: AbstractBaseUser) -> None:
        _, created = Membership.objects.get_or_create(
            project=self.project, user=user, defaults={"role": Role.ANNOTATOR}
        )
        if created:
            self.report.members_added.append(user.get_username())

    def session(self, name: str | None, opens_at: datetime) -> Session | None:
        if name is None:
            return None
        if name not in self.sessions:
            session = Session.objects.filter(project=self.project, name=name).order_by("pk").first()
            if session is None:
                # A session known only from the file: kept as a closed, historical container.
                session = Session.objects.create(
                    project=self.project,
                    name=name,
                    opens_at=opens_at,
                    closes_at=opens_at + timedelta(seconds=1),
                )
            self.sessions[name] = session
        return self.sessions[name]

    def finish(self) -> None:
        problems = []
        if self.unknown_themes:
            problems.append(
                f"Unknown themes: {', '.join(sorted(self.unknown_themes))}. Add them to the codebook, "
                "or import with --create-themes (create_themes) to add them."
            )
        if self.unknown_users:
            problems.append(
                f"Unknown users: {', '.join(sorted(self.unknown_users))}. Name a user to credit with --as."
            )
        if problems:
            raise ImportRefused(" ".join(problems))
