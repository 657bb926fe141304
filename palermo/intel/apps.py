from django.apps import AppConfig


class IntelConfig(AppConfig):
    name = "palermo.intel"
    label = "intel"
    # (menu label, URL name, roles allowed or None for everyone): filled in as the app grows.
    nav_links: tuple = ()
