"""Settings of the API benchmark's server: the development settings with the bench URLconf, without DEBUG (which
would keep every query's text) and without throttling (the load comes from one address)."""

from config.settings.local import *  # noqa: F403

ROOT_URLCONF = "bench.api_site"
DEBUG = False
API_THROTTLE_RATES = {"anon": None, "user": None}
