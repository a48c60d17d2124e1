"""`manage.py train_recommenders --project SLUG`: train a project's recommenders now (docs/suggestions.md)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...models import Project
from ...services.recommender_training import recommenders_train


class Command(BaseCommand):
    help = "Train the project's recommenders, evaluate them per theme and store their suggestions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--project", required=True, help="The project's slug.")

    def handle(self, *args: object, **options: object) -> None:
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"No project '{options['project']}'.")
        report = recommenders_train(project=project)
        self.stdout.write(
            f"Trained on {report.labelled} labelled passages: {report.evaluations} evaluations, "
            f"{report.suggestions} suggestions stored."
        )
