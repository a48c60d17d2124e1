import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_annot.settings")
application = get_wsgi_application()

from sources.checks import refuse_to_start_misconfigured  # noqa: E402  (needs the apps loaded above)

refuse_to_start_misconfigured()
