from django.conf import settings
from django.db import models

from .project import Project


class Source(models.Model):
    """A document split into passages; `text` is the normalized full text the offsets point into."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=500)
    authors = models.JSONField(default=list, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    language = models.CharField(max_length=8, blank=True)
    citation = models.TextField(blank=True)
    # Memos on the source as a whole, as QDA software keeps them (a qdpx TextSource's notes).
    notes = models.TextField(blank=True)
    filename = models.CharField(max_length=255, blank=True)
    text = models.TextField()
    sha256 = models.CharField(max_length=64)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "sha256"], name="source_unique_text_per_project"),
            models.CheckConstraint(
                condition=models.Q(year__isnull=True) | models.Q(year__gte=1000, year__lte=2999),
                name="source_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PassageKind(models.TextChoices):
    HEADING = "heading", "Heading"
    PARAGRAPH = "paragraph", "Paragraph"
    LIST_ITEM = "list_item", "List item"
    QUOTE = "quote", "Quote"
    FOOTNOTE = "footnote", "Footnote"
    CAPTION = "caption", "Caption"
    TABLE = "table", "Figure or table text"
    REFERENCE = "reference", "Reference"


# A passage's own fields, in the order the API, the bulk writer and the exports name them.
PASSAGE_FIELDS = ("ordinal", "kind", "section", "text", "language", "start", "end", "attached_to")


class Passage(models.Model):
    """An ordered piece of a source; `source.text[start:end] == text` always."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="passages")
    ordinal = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=PassageKind.choices, default=PassageKind.PARAGRAPH)
    section = models.CharField(max_length=500, blank=True)
    text = models.TextField()
    language = models.CharField(max_length=8, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    # A footnote's: the ordinal of the passage of the same source it is attached to (the paragraph
    # whose marker cites it, else the one its page ended in).
    attached_to = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["source", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["source", "ordinal"], name="passage_unique_ordinal"),
            models.CheckConstraint(
                condition=models.Q(start__gte=0) & models.Q(start__lte=models.F("end")),
                name="passage_offsets_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=PassageKind.values), name="passage_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["source", "kind"], name="passage_source_kind")]

    def __str__(self) -> str:
        return f"{self.source_id}#{self.ordinal}"
