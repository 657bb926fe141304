from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "palermo.jobs"
    label = "jobs"
    # (menu label, URL name, roles allowed or None for everyone)
    nav_links: tuple = (("Background jobs", "jobs:list", None),)
