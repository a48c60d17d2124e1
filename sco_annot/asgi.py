import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_annot.settings")
application = get_asgi_application()

from sources.checks import refuse_to_start_misconfigured  # noqa: E402  (needs the apps loaded above)

refuse_to_start_misconfigured()
