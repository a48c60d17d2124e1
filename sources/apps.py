from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources and annotations"
    default_auto_field = "django.db.models.BigAutoField"
