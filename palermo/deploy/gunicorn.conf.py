"""gunicorn settings for `palermo serve` (README "Deploying"). Every value can be overridden from the
environment, so a deployment changes variables, not this file."""

import multiprocessing
import os

from palermo.cli import prepare_environment

prepare_environment()
# Keep each worker's database connection between requests instead of opening one per request
# (health-checked before reuse, settings.py).
os.environ.setdefault("PALERMO_DB_CONN_MAX_AGE", "600")

wsgi_app = "palermo.wsgi:application"
bind = os.environ.get("PALERMO_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PALERMO_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("PALERMO_REQUEST_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then so a slow leak never grows into an outage.
max_requests = 2000
max_requests_jitter = 200
# Only the reverse proxy on this machine may say which scheme and client address a request came from.
forwarded_allow_ips = os.environ.get("PALERMO_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("PALERMO_ACCESS_LOG", "-")
errorlog = "-"
# Loaded once in the master and forked: less memory per worker, and configuration errors stop the start.
preload_app = True
