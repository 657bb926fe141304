"""Settings for Palermo. Everything deployment-specific comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PALERMO_VAR_DIR", BASE_DIR / "var"))

# Off unless a developer asks for tracebacks (PALERMO_DEBUG=1): users always see Palermo's own error pages.
DEBUG = os.environ.get("PALERMO_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or ("insecure-dev-key" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("DJANGO_SECRET_KEY must be set (make run writes one to var/secrets.env)")
ALLOWED_HOSTS = os.environ.get("PALERMO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

# Identity fields are encrypted with this key (Fernet; several comma-separated keys allow rotation).
PALERMO_FIELD_KEYS = [k for k in os.environ.get("PALERMO_FIELD_KEY", "").split(",") if k]
# The audit chain's HMAC key and the Ed25519 key that signs checkpoints of its head: never in the database.
PALERMO_AUDIT_KEY = os.environ.get("PALERMO_AUDIT_KEY", "")
PALERMO_AUDIT_SIGNING_KEY = os.environ.get("PALERMO_AUDIT_SIGNING_KEY", "")
PALERMO_AUDIT_VERIFY_KEY = os.environ.get("PALERMO_AUDIT_VERIFY_KEY", "")
# Signed checkpoints are written here for the oversight body (outside the database).
PALERMO_AUDIT_CHECKPOINT_DIR = Path(os.environ.get("PALERMO_AUDIT_CHECKPOINT_DIR", VAR_DIR / "audit-checkpoints"))
PALERMO_INSTANCE = os.environ.get("PALERMO_INSTANCE", "palermo")
# The blind-index key (palermo/core/crypto.py); pinned before a field key is rotated out.
PALERMO_INDEX_KEY = os.environ.get("PALERMO_INDEX_KEY", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "ninja",  # its own copy of Swagger UI is served locally: no CDN, works offline
    "django_q",  # the task queue under `palermo worker` (palermo.jobs)
    "palermo.accounts",
    "palermo.audit",
    "palermo.core",
    "palermo.jobs",
    "palermo.intake",
    "palermo.protection",
    "palermo.intel",
    "palermo.federation",
    "palermo.cooperation",
    "palermo.referral",
    "palermo.ui",
    "palermo.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "palermo.middleware.JsonErrorsUnderApi",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files without a separate web server
    "palermo.middleware.RefuseUnstorableText",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "palermo.middleware.NeutraliseBidiControls",  # inside CommonMiddleware, which sets Content-Length
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "palermo.urls"
WSGI_APPLICATION = "palermo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "palermo.ui.navigation.main_menu",
            ],
        },
    },
]

# --- Database connection reuse (performance; docs/benchmarks/load.md) ---------------------------------
# With PALERMO_DEBUG=0 a worker keeps its database connection for PALERMO_DB_CONN_MAX_AGE seconds
# (default 60) instead of opening one per request: on PostgreSQL a new connection costs a backend start
# and cold catalogue caches on every request. Health checks drop a connection that died while idle before
# it is reused. The development server starts a thread per request, where reuse cannot help, so there the
# default stays 0 (a connection per request).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'palermo.sqlite3'}",
        conn_max_age=int(os.environ.get("PALERMO_DB_CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
# --- end of database connection reuse ------------------------------------------------------------------
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The visibility query's estimated cost makes PostgreSQL JIT-compile it on every request, which
    # costs more than it saves (docs/benchmarks/api.md).
    DATABASES["default"]["OPTIONS"] = {"options": "-c jit=off"}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers go on while the one writer appends to the audit chain.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so the tests can run a real `palermo worker` process against it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-palermo.sqlite3")}

# Background jobs (palermo.jobs) run on django-q2 with its ORM broker: the queue is a table in this same
# database, so `make run` needs no other service, and on PostgreSQL any number of `palermo worker`
# machines share it (a task is claimed by a compare-and-set on its lock). A task whose worker dies is
# delivered again once `retry` seconds have passed since it was claimed; `timeout` ends a job that runs
# longer, so `retry` must exceed it.
PALERMO_JOB_TIMEOUT = int(os.environ.get("PALERMO_JOB_TIMEOUT", "1800"))
Q_CLUSTER = {
    "name": "palermo",
    "orm": "default",
    "workers": int(os.environ.get("PALERMO_WORKER_PROCESSES", "2")),
    "timeout": PALERMO_JOB_TIMEOUT,
    "retry": int(os.environ.get("PALERMO_JOB_RETRY", str(PALERMO_JOB_TIMEOUT + 60))),
    "max_attempts": 0,  # palermo.jobs gives up after each kind's own number of attempts
    "ack_failures": False,  # a failed attempt stays on the queue and is delivered again after `retry`
    "catch_up": False,  # after downtime a schedule runs once, not once per missed slot
    "bulk": 1,
    "poll": float(os.environ.get("PALERMO_WORKER_POLL", "1")),
    "save_limit": 200,
    "label": "Background tasks",
}
# Tests (and nothing else) run jobs in the requesting process instead of on the queue.
PALERMO_JOBS_INLINE = False

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("ro", "Română"),
    ("bg", "Български"),
    ("zh-hans", "中文"),
]
LOCALE_PATHS = [BASE_DIR / "palermo" / "locale"]
FORMAT_MODULE_PATH = ["palermo.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"  # `palermo collectstatic` (make run does it) before serving
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
# Hashed, compressed copies with far-future caching; the test suite swaps in the plain storage.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Front-end packages come from the npm registry at install time (package.json); never committed.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/cytoscape", NODE_MODULES / "cytoscape" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
]
STATICFILES_DIRS = [(prefix, path) for prefix, path in STATICFILES_DIRS if path.exists()]
STATICFILES_FINDERS = [
    "palermo.ui.staticfinders.BrowserBuildsFinder",  # STATICFILES_DIRS without the module builds
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False

# Served over HTTPS (behind a TLS-terminating proxy, README "Deploying"): PALERMO_HTTPS=1. `make run`
# serves plain http://127.0.0.1:8000, so these follow this explicit setting, not DEBUG.
HTTPS = os.environ.get("PALERMO_HTTPS", "0") == "1"
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# The proxy sets X-Forwarded-Proto (and must overwrite what a client sent); trusted only with HTTPS on.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None

# Content-Security-Policy: scripts and styles only from our own static files (no inline code, no CDN);
# htmx is told not to inject its indicator styles (ui/base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
NINJA_PAGINATION_CLASS = "palermo.core.pagination.BoundedLimitOffsetPagination"  # offsets a database can take

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}

# --- Sign-in security: throttling, multi-factor sign-in, session timeout (palermo/accounts/security.py) ---
# Failed sign-ins within the window lock the account name / the client address for the cool-off
# (an administrator of the user's agency may unlock an account earlier).
PALERMO_SIGNIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("PALERMO_SIGNIN_FAILURE_WINDOW_MINUTES", "15"))
PALERMO_SIGNIN_COOL_OFF_MINUTES = int(os.environ.get("PALERMO_SIGNIN_COOL_OFF_MINUTES", "15"))
PALERMO_SIGNIN_MAX_FAILURES_PER_ACCOUNT = int(os.environ.get("PALERMO_SIGNIN_MAX_FAILURES_PER_ACCOUNT", "5"))
PALERMO_SIGNIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("PALERMO_SIGNIN_MAX_FAILURES_PER_ADDRESS", "20"))
PALERMO_TOKEN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("PALERMO_TOKEN_MAX_FAILURES_PER_ADDRESS", "30"))
# A signed-in user idle for longer than this signs in again; SESSION_COOKIE_AGE bounds the whole session.
PALERMO_SESSION_IDLE_MINUTES = int(os.environ.get("PALERMO_SESSION_IDLE_MINUTES", "30"))
# Between password and second factor, how long the half-finished sign-in waits.
PALERMO_MFA_PENDING_MINUTES = 10
MIDDLEWARE += ["palermo.accounts.middleware.SessionTimeoutMiddleware"]
