from django.core.management.base import BaseCommand, CommandError

from ...models import Project
from ...services.demo import DemoDataError, demo_seed


class Command(BaseCommand):
    help = "Create the demo project 'sco' from the two shipped articles, with codebook, users and examples."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database already has a project."
        )

    def handle(self, *args, **options) -> None:
        if options["if_empty"] and Project.objects.exists():
            self.stdout.write("Projects exist already; demo not loaded.")
            return
        try:
            report = demo_seed()
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        verb = "Created" if report.created else "Checked"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} project '{report.project.slug}': {report.sources} sources, "
                f"{report.passages} passages, {report.annotations} annotations."
            )
        )
