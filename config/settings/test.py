"""Test settings: fast hashing, in-memory mail and cache, eager Celery that raises, unless a test brings a worker."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A worker that the integration tests start runs its tasks for real (retries included): it sets this to False.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)  # noqa: F405
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = BASE_DIR / ".pytest_media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".pytest_private_media"  # noqa: F405
LANGUAGE_CODE = "zh-hans"
# Query-budget tests count a view's own queries; the session save that base settings do on every request (three more
# queries) is covered by tests/core, which turns it back on with override_settings. django-axes stays enabled.
SESSION_SAVE_EVERY_REQUEST = False
