from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_save


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources and annotations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, logs  # noqa: F401  (checks register themselves)
        from .services import events
        from .services.tokens import revoke_tokens_on_new_password

        logs.connect()
        events.connect()

        pre_save.connect(
            revoke_tokens_on_new_password, sender=settings.AUTH_USER_MODEL, dispatch_uid="revoke-tokens"
        )
