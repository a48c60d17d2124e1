from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from .history import acting_user
from .project import Project

color_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a color as #rrggbb.")


class Theme(models.Model):
    """A code of the project's codebook; `parent` makes a hierarchy of any depth."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="themes")
    slug = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    include = models.TextField(blank=True, help_text="Coding rule: when to apply the theme.")
    exclude = models.TextField(blank=True, help_text="Coding rule: when not to apply it.")
    color = models.CharField(max_length=7, default="#4c6ef5", validators=[color_validator])
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    shortcut = models.CharField(max_length=1, blank=True)
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(get_user=acting_user)

    class Meta:
        ordering = ["project", "order", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["project", "slug"], name="theme_unique_slug"),
            models.UniqueConstraint(
                fields=["project", "shortcut"],
                condition=~models.Q(shortcut=""),
                name="theme_unique_shortcut",
                violation_error_message="Another theme of this project already uses this shortcut key.",
            ),
            models.CheckConstraint(condition=~models.Q(parent=models.F("id")), name="theme_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class ThemeAnchor(models.Model):
    """An anchor example of a theme: a passage of the corpus, or a span of it (null offsets: the
    whole passage), shown to annotators beside the theme's coding rules."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="anchors")
    passage = models.ForeignKey("sources.Passage", on_delete=models.CASCADE, related_name="anchors")
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    quote = models.TextField(blank=True)
    note = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(start__isnull=True) & models.Q(end__isnull=True))
                | models.Q(start__lt=models.F("end")),
                name="theme_anchor_span_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.theme_id} anchor {self.passage_id}"
