"""Settings of the API benchmark's server (bench/api.py): the app's own, with the floor's bare views
added in front of its URLs."""

from sco_annot.settings import *  # noqa: F403

ROOT_URLCONF = "api_urls"
