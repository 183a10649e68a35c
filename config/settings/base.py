"""Settings shared by every environment; everything that differs comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="insecure-local-only-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "core",
    "catalogue",
    "standards",
    "workflow",
    "reviews",
    "cases",
    "hall",
    "evaluation",
    "reporting",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A NUL byte in the address, query or form is a 400 before any view or database sees it.
    "core.middleware.RefuseUnrepresentableInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Records every PermissionDenied a view raises, then lets Django answer with the 403 page.
    "core.middleware.AuditPermissionDeniedMiddleware",
    # A password set by an administrator (or past its maximum age) is changed before anything else.
    "core.middleware.PasswordChangeRequiredMiddleware",
    # django-axes turns a locked-out login into the lockout page; it must stay last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout keep the development server responsive while an eager Celery task writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2id for new and upgraded hashes; the others only verify older hashes (upgraded to Argon2 at the next login).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# django-axes first: it refuses a locked-out username + address before any other backend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "core.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]
# Days the security audit trail is kept in the database before ``archive_audit`` moves it to a file (at least 180).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)
# Refusals (403s, objects asked for outside one's scope) recorded per user or address and minute; 0 records all.
AUDIT_REFUSALS_PER_MINUTE = env.int("AUDIT_REFUSALS_PER_MINUTE", default=30)
# Days after which a password must be changed at the next sign-in; 0 (the default) sets no maximum age.
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=0)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded files of standards: outside MEDIA_ROOT, served only through views that check access.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # In-process broker for eager tasks. It names a host so kombu does not warn "No hostname was supplied" each time
    # an eager task borrows a producer.
    CELERY_BROKER_URL = "memory://localhost/"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 60 * 30
CELERY_TASK_SOFT_TIME_LIMIT = 60 * 25
# A message taken by a worker that dies is handed to another worker after this many seconds (Redis' default is an
# hour). It must exceed the longest task's hard limit, or a task still running would be started a second time.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 60 * 5}
CELERY_TASK_TRACK_STARTED = True
CELERY_BEAT_SCHEDULE: dict = {
    # Imports and reports whose worker died are marked failed (restartable) once past the task's time limit.
    "fail-stale-imports": {"task": "catalogue.tasks.fail_stale_imports", "schedule": 60 * 10},
    "fail-stale-reports": {"task": "reporting.tasks.fail_stale_reports", "schedule": 60 * 10},
    # Staff exports built as jobs: kept a day (EXPORT_KEEP_HOURS), then deleted with their files.
    "purge-export-jobs": {"task": "core.tasks.purge_export_jobs", "schedule": 60 * 30},
    # Reviewers hear of tasks nearing their due date (each task once; see reviews.notices).
    "remind-due-review-tasks": {"task": "reviews.tasks.remind_due_tasks", "schedule": 60 * 30},
    # Reporting: every scope's rates stored as the day's snapshot, nightly (the dashboard can also start it).
    "reporting-compute-rates-nightly": {
        "task": "reporting.tasks.compute_rates",
        "schedule": crontab(hour=1, minute=30),
    },
    # Electronic supervision: the date rules (near and past the limits, a step past its due) over all open cases.
    "cases-supervision-sweep": {"task": "cases.tasks.supervision_sweep", "schedule": 60 * 15},
    # 结果公开: licensing decisions whose publication falls due are published (those published on decision are skipped).
    "cases-publish-results": {"task": "cases.tasks.publish_results", "schedule": crontab(minute=5)},
    # The hall: bookings not arrived by the end of their half-day count as no-shows.
    "hall-mark-no-shows": {"task": "hall.tasks.mark_no_shows", "schedule": 60 * 10},
    # 好差评: a finished case with no evaluation is invited once, N working days after 办结 (see evaluation.services).
    "evaluation-invite": {"task": "evaluation.tasks.invite_evaluations", "schedule": crontab(hour=9, minute=0)},
}
# Electronic supervision (电子监察): yellow when the promised limit is this many working days away or less; a red
# alert's 督办 is to be answered within this many working days.
CASES_YELLOW_WORKDAYS = env.int("CASES_YELLOW_WORKDAYS", default=2)
CASES_OVERSIGHT_REPLY_WORKDAYS = env.int("CASES_OVERSIGHT_REPLY_WORKDAYS", default=3)
# 结果公开: a licensing decision (准予 or 不予) is published within this many working days after it is taken.
CASE_RESULT_PUBLISH_WORKDAYS = env.int("CASE_RESULT_PUBLISH_WORKDAYS", default=7)
# Denominator of the review approval rate (审查通过率): "submitted" items, or all "active" items (domain decision 6).
REPORTING_APPROVAL_BASE = env("REPORTING_APPROVAL_BASE", default="submitted")
# 好差评: the working days each stage of a bad grade's rectification is given (verify, rectify, reply to the applicant,
# follow-up call), and the invitation to evaluate a case finished this many working days ago without an evaluation.
EVALUATION_STAGE_WORKDAYS = {
    stage: env.int(f"EVALUATION_{stage.upper()}_WORKDAYS", default=5)
    for stage in ("verify", "rectify", "reply", "follow_up")
}
EVALUATION_INVITE_AFTER_WORKDAYS = env.int("EVALUATION_INVITE_AFTER_WORKDAYS", default=3)
EVALUATION_INVITE_LOOKBACK_DAYS = env.int("EVALUATION_INVITE_LOOKBACK_DAYS", default=30)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.PortalAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Read-only and public: anonymous readers see published data; staff sign in by session or token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PortalCursorPagination",
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.AnonThrottle", "core.api.throttling.StaffThrottle"],
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
}
# Requests per client: anonymous by address, staff by user. An empty value turns the limit off (benchmarks).
API_THROTTLE_RATES = {
    "anon": env("API_ANON_RATE", default="120/minute") or None,
    "user": env("API_USER_RATE", default="1200/minute") or None,
    # Per sending system on the case-event endpoint (a provincial platform may send from many addresses).
    "case_events": env("API_CASE_EVENTS_RATE", default="600/minute") or None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("行政审批标准化门户 API"),
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "DESCRIPTION": _(
        "已公开的事项目录：行政区划、机构、通用目录、实施清单及其已发布的办事指南，变更订阅与导出。"
        "匿名可读已公开数据；工作人员以会话或令牌（Authorization: Token …）登录后另可读本辖区的在办版本。"
    ),
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema says what the filters check: code patterns, and no empty values (tests/api/test_schemathesis.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "catalogue.api.schema.document_code_patterns",
        "core.api.schema.require_non_empty_parameters",
    ],
    "ENUM_NAME_OVERRIDES": {
        "LevelEnum": "catalogue.models.items.LEVEL_CHOICES",
        "DivisionLevelEnum": "catalogue.models.divisions.DivisionLevel",
        "LocalItemStatusEnum": "catalogue.models.items.LocalItemStatus",
        "ItemStatusEnum": "catalogue.models.items.ItemStatus",
        "LimitUnitEnum": "standards.models.choices.LimitUnit",
        "CaseTypeEnum": "standards.models.choices.CaseType",
        "CaseStatusEnum": "cases.models.choices.CaseStatus",
        "ApplicantKindEnum": "cases.models.choices.ApplicantKind",
        "DecisionEnum": "cases.models.choices.Decision",
    },
}

FILTERS_EMPTY_CHOICE_LABEL = _("全部")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# A session ends after 30 minutes without a request (every request pushes the expiry back) and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = env.bool("SESSION_SAVE_EVERY_REQUEST", default=True)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "core.security.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (django-csp 4): only this site's own files, no inline script or style anywhere.
# The one hash admits the fixed <style> block that htmx 2 adds for its request indicators
# (htmx.config.includeIndicatorStyles) and nothing else; it can go once base.html turns those styles off and portal.css
# carries them. tests/core checks the hash against the installed htmx.
HTMX_INDICATOR_STYLE_HASH = "'sha256-faU7yAF8NxuMTNEwVmBz+VcYeIoBQ2EMHW3WaVxCvnk='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, HTMX_INDICATOR_STYLE_HASH],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Login throttling (django-axes): 5 failures of one username from one address lock that pair out for 30 minutes;
# a failed attempt during the lockout starts the 30 minutes again, a successful login clears the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Each entry is counted on its own: an account is locked after AXES_FAILURE_LIMIT failures from any addresses, and an
# address after AXES_FAILURE_LIMIT failures over any accounts (password spraying). Comma-separated in the environment;
# "username+ip_address" counts the pair only, as before.
AXES_LOCKOUT_PARAMETERS = [
    entry.split("+") if "+" in entry else entry
    for entry in env.list("AXES_LOCKOUT_PARAMETERS", default=["username", "ip_address"])
]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_HTTP_RESPONSE_CODE = 429
# No "AXES: BEGIN version …" banner on every command and server start.
AXES_VERBOSE = env.bool("AXES_VERBOSE", default=False)
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
# How many reverse proxies in front append to X-Forwarded-For. 0 (the default) trusts only REMOTE_ADDR, so a client
# cannot dodge the lockout by sending its own X-Forwarded-For; set it to 1 behind one proxy that sets the header.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@spbz.example.gov.cn")
# SMTP, when EMAIL_BACKEND names it: EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS.
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 30
# How e-mails name the portal and link back to it.
PORTAL_NAME = _("行政审批标准化门户")
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # runserver's "Watching for file changes" (twice: Django's own console handler and ours) is no news.
        "django.utils.autoreload": {"level": "WARNING"},
        # One line per finished task is noise when tasks run in-process (development, the demo); failures still log.
        "celery.app.trace": {"level": env("CELERY_TRACE_LOG_LEVEL", default="WARNING")},
    },
}

PAGE_SIZE_CHOICES = (20, 50, 100)
# A list counts its rows up to this many and says "more than N" beyond (``core.pages.CappedPaginator``), so that a
# page of a province-wide list costs the same however large the province.
LIST_COUNT_CAP = env.int("LIST_COUNT_CAP", default=10_000)
# Who may open staff pages (``core.pages.staff_required``): signed in with at least one role in an organization.
STAFF_USER_CHECK = "catalogue.access.is_staff_user"
# Staff pages' Excel exports (``core.export_jobs``): up to EXPORT_INLINE_MAX_ROWS rows the workbook is the response
# itself (a few seconds); beyond, a Celery task builds it while the page shows its progress, and the file is kept
# EXPORT_KEEP_HOURS for the person who asked. Beyond EXPORT_MAX_ROWS — sized for the largest province, ~400,000 local
# items — the page asks for a narrower filter instead of building a workbook nobody can open comfortably.
EXPORT_INLINE_MAX_ROWS = env.int("EXPORT_INLINE_MAX_ROWS", default=20_000)
EXPORT_MAX_ROWS = env.int("EXPORT_MAX_ROWS", default=500_000)
EXPORT_KEEP_HOURS = env.int("EXPORT_KEEP_HOURS", default=24)
# The exports that may run as jobs: a key each, the dotted path of its ``(request) -> core.export_jobs.StaffExport``.
STAFF_EXPORTS = {
    "catalogue.local": "catalogue.views.browser.local_export_spec",
    "catalogue.general": "catalogue.views.browser.general_export_spec",
    "reviews.queue": "reviews.views.tasks.queue_export_spec",
}

# Columns that apps built on the catalogue add to the implementation list's Excel export (the catalogue cannot import
# them): each a dotted path to a ``catalogue.exports.ExtraColumns``.
CATALOGUE_LOCAL_EXPORT_EXTRAS = ["standards.exports.GUIDE_STATE_COLUMNS"]
# Buttons that apps built on the catalogue put on a local item's page (修订 its standard): dotted paths of
# ``(user, item) -> list[core.pages.PageAction]``.
CATALOGUE_LOCAL_ITEM_ACTIONS = ["standards.views.actions.local_item_actions"]
# Sections that apps built on the standards add to a standard's staff page (what its cases teach): dotted paths of
# ``(user, standard) -> list[core.pages.PagePanel]``.
STANDARD_PAGE_PANELS = ["cases.learning.standard_panels", "evaluation.panels.standard_panels"]
# Sections that apps built on the standards add to the public guide page (the hall's booking and question forms):
# dotted paths of ``(user, standard) -> list[core.pages.PagePanel]``, ``standard`` being the published version.
GUIDE_PAGE_PANELS = ["hall.panels.guide_panels"]

# The hall: a consultation is answered within this many working days of its arrival.
HALL_CONSULTATION_WORKDAYS = env.int("HALL_CONSULTATION_WORKDAYS", default=3)
# Appointments: slots of the next this many working days are offered, from tomorrow.
HALL_BOOKING_DAYS = env.int("HALL_BOOKING_DAYS", default=10)
# A phone with this many no-shows within this many days may not book again until the oldest falls out of the window.
HALL_NO_SHOW_LIMIT = env.int("HALL_NO_SHOW_LIMIT", default=3)
HALL_NO_SHOW_DAYS = env.int("HALL_NO_SHOW_DAYS", default=90)
# The public booking and question forms, and the booking page's cancel form: tries per client address and window.
HALL_PUBLIC_TRIES = env.int("HALL_PUBLIC_TRIES", default=10)
HALL_PUBLIC_WINDOW = env.int("HALL_PUBLIC_WINDOW", default=600)

# The service hall's queue (``hall.services.queue``): a waiting number's effective wait is minutes waited × the weight
# of its priority, so priority weighs rather than jumps; a number is called again (重呼) only after this many minutes.
HALL_PRIORITY_WEIGHTS = {"normal": 1.0, "elderly": 1.5, "disabled": 1.5, "booked": 2.0}
HALL_RECALL_MIN_MINUTES = env.int("HALL_RECALL_MIN_MINUTES", default=2)
# Called as ``hook(request, case)`` when the window's acceptance page registers a case (the cases app cannot import the
# apps above it): the hall links the case to the queue number being served.
CASE_ACCEPTED_HOOKS = ["hall.hooks.link_accepted_case"]
# Sections that apps built on the cases add to the applicant's pages of a case (the progress page and the printed
# notices), such as the link to evaluate it: dotted paths of ``(user, case) -> list[core.pages.PagePanel]``.
CASE_PUBLIC_PANELS = ["evaluation.panels.case_public_panels"]
