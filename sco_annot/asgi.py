import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_annot.settings")
# Under ASGI each request's view runs on a thread of its own, so a connection kept for the next request
# would never be reused: it would linger, idle, until its thread is collected. Web processes close it
# when the request ends (Django's advice for ASGI; PgBouncer pools them, docs/deploy.md); task workers
# and commands keep theirs for CONN_MAX_AGE.
os.environ.setdefault("CONN_MAX_AGE", "0")
application = get_asgi_application()

from sources.checks import refuse_to_start_misconfigured  # noqa: E402  (needs the apps loaded above)

refuse_to_start_misconfigured()
