"""The Celery application.

Without ``REDIS_URL`` the settings switch Celery to eager mode, so ``make run`` needs no broker and tasks run in the
request that starts them.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("spbz")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
