"""WSGI entry of the API benchmark's server (settings ``bench.api_settings``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.api_settings")
application = get_wsgi_application()
