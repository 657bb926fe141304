"""WSGI entry point."""

from django.core.wsgi import get_wsgi_application

from palermo.cli import prepare_environment

prepare_environment()
application = get_wsgi_application()
