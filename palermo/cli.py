"""The `palermo` console command: `palermo audit verify`, `palermo demo load`, `palermo import persons F`…

Each first word names a Django management command; unknown words fall through to Django's own
commands (`palermo migrate`, `palermo runserver`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_SECRETS = BASE_DIR / "var" / "secrets.env"


def prepare_environment() -> None:
    """Point Django at our settings and, on a developer machine, read the keys `make run` generated
    into var/secrets.env (real deployments set them in the environment; those win)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "palermo.settings")
    if LOCAL_SECRETS.exists():
        for line in LOCAL_SECRETS.read_text().splitlines():
            name, sep, value = line.partition("=")
            if sep and not line.startswith("#"):
                os.environ.setdefault(name.strip(), value.strip())


def main() -> None:
    prepare_environment()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["palermo", *sys.argv[1:]])


if __name__ == "__main__":
    main()
