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
    "palermo.accounts",
    "palermo.audit",
    "palermo.core",
    "palermo.intake",
    "palermo.protection",
    "palermo.intel",
    "palermo.ui",
    "palermo.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files without a separate web server
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
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

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'palermo.sqlite3'}",
        conn_max_age=int(os.environ.get("PALERMO_DB_CONN_MAX_AGE", "0")),  # gunicorn.conf.py keeps them
        conn_health_checks=True,
    )
}
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
