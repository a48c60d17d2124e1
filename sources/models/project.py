import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    INSTRUCTOR = "instructor", "Instructor"
    ANNOTATOR = "annotator", "Annotator"
    OBSERVER = "observer", "Observer"


class Licence(models.TextChoices):
    """Licences a dataset release may carry (SPDX identifiers); blank: none chosen, all rights reserved."""

    NONE = "", "None chosen (all rights reserved)"
    CC_BY = "CC-BY-4.0", "CC BY 4.0 (attribution)"
    CC_BY_SA = "CC-BY-SA-4.0", "CC BY-SA 4.0 (attribution, share alike)"
    CC_BY_NC = "CC-BY-NC-4.0", "CC BY-NC 4.0 (attribution, non-commercial)"
    CC0 = "CC0-1.0", "CC0 1.0 (public domain dedication)"
    ODBL = "ODbL-1.0", "ODbL 1.0 (Open Database License)"


LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.ODBL: "https://opendatacommons.org/licenses/odbl/1-0/",
}


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"Unknown time zone '{value}'; use an IANA name such as Asia/Almaty or UTC.")


class Project(models.Model):
    """A class or research team: owns its sources, codebook, claims and sessions."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    licence = models.CharField(
        max_length=32, choices=Licence.choices, blank=True, default="", help_text="The licence of releases."
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Session times are entered and shown in this zone.",
    )
    archived = models.BooleanField(default=False, help_text="Read-only for everyone until restored.")
    created = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="projects", blank=True
    )

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ANNOTATOR)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "user"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_unique_project_user"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.project} ({self.role})"
