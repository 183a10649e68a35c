"""Settings of the API benchmark's server: the development settings with the bench URLconf, without DEBUG (which
would keep every query's text) and without throttling (the load comes from one address)."""

from config.settings.local import *  # noqa: F403

ROOT_URLCONF = "bench.api_site"
DEBUG = False
API_THROTTLE_RATES = {"anon": None, "user": None}
# Persistent database connections, as a production deployment has them: otherwise every request, a 304 included, pays
# for a new PostgreSQL connection and the comparison measures connection set-up.
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
# The server's own time per request (Server-Timing), so the comparison does not depend on the load client.
MIDDLEWARE = ["bench.api_site.ServerTiming", *MIDDLEWARE]  # noqa: F405
