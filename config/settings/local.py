"""Development: ``make run`` uses these, with SQLite and eager Celery unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import MIDDLEWARE, env

DEBUG = env.bool("DEBUG", default=True)
# Static files from the project's folders in either mode, so DEBUG=0 make run looks the same without collectstatic.
WHITENOISE_USE_FINDERS = True

# The portal's own 404 and 500 pages even with DEBUG on, so trying the portal locally looks as it will in public (a
# 500's traceback still goes to the console). DEBUG_TECHNICAL_PAGES=1 brings back Django's technical pages.
if DEBUG and not env.bool("DEBUG_TECHNICAL_PAGES", default=False):
    _axes = MIDDLEWARE.index("axes.middleware.AxesMiddleware")  # django-axes stays last
    MIDDLEWARE = [*MIDDLEWARE[:_axes], "core.middleware.BrandedErrorPagesMiddleware", *MIDDLEWARE[_axes:]]
