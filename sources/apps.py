from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save, pre_save


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources and annotations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, logs  # noqa: F401  (checks register themselves)
        from .models import Annotation
        from .services import events
        from .services.recommender_training import annotation_saved
        from .services.tokens import revoke_tokens_on_new_password

        logs.connect()
        events.connect()

        pre_save.connect(
            revoke_tokens_on_new_password, sender=settings.AUTH_USER_MODEL, dispatch_uid="revoke-tokens"
        )
        post_save.connect(annotation_saved, sender=Annotation, dispatch_uid="retrain-recommenders")
