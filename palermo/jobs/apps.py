from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "palermo.jobs"
    label = "jobs"
    nav_links: tuple = ()
