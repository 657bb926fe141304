from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "palermo.intake"
    label = "intake"
    # (menu label, URL name, roles allowed or None for everyone): filled in as the app grows.
    nav_links: tuple = ()
