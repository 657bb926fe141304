"""`palermo serve`: the production application server (gunicorn with palermo/deploy/gunicorn.conf.py)."""

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

import palermo.deploy

CONFIG = Path(palermo.deploy.__file__).with_name("gunicorn.conf.py")


class Command(BaseCommand):
    help = ("Serve Palermo with gunicorn and several workers (PALERMO_BIND, PALERMO_WORKERS; "
            "run `palermo collectstatic` first). Extra arguments go to gunicorn.")

    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("gunicorn_args", nargs="*", help="passed to gunicorn, e.g. --workers 4")

    def handle(self, *args, gunicorn_args, **options):
        # Replace this process: signals from systemd (reload, stop) then reach gunicorn's master directly.
        os.execv(sys.executable, [sys.executable, "-m", "gunicorn", "--config", str(CONFIG), *gunicorn_args])
