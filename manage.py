#!/usr/bin/env python
"""Django's command-line utility; `palermo` (palermo/cli.py) is the friendlier front door."""

import sys

from palermo.cli import prepare_environment

if __name__ == "__main__":
    prepare_environment()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
