from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "palermo.protection"
    label = "protection"
    # (menu label, URL name, roles allowed or None for everyone): filled in as the app grows.
    nav_links: tuple = ()
